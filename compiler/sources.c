/*
 * sources.c - the cited documents (see sources.h and docs/sources.md).
 */
#include "sources.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define TN(id) "https://technet.microsoft.com/en-us/library/" id "(v=OCS.15)"

static const char *const t000[] = { "external interface nodes",
	"internal interface nodes", "external interface VIP",
	"internal interface VIP", NULL };
static const char *const t001[] = { "server ports by role",
	"HLB ports (HLB only)", "HLB ports (DNS LB)", "client ports", NULL };
static const char *const t002[] = { "external interface nodes",
	"internal interface nodes", "federation", "public IM connectivity",
	"XMPP", NULL };
static const char *const t003[] = { "single director", NULL };
static const char *const t004[] = { "SIP federation",
	"public IM connectivity", "XMPP", NULL };

const struct lyncc_source lyncc_sources[] = {
	{ "000_08d20a57cb8296cc.txt", "Gg398739",
	  "Port summary - Scaled consolidated edge with hardware load balancers in Lync Server 2013",
	  TN("Gg398739"), t000 },
	{ "001_ddc9b26da0e1a242.txt", "Gg398833",
	  "Ports and protocols for internal servers in Lync Server 2013",
	  TN("Gg398833"), t001 },
	{ "002_827bc8cbe632c07c.txt", "JJ205394",
	  "Port summary - Scaled consolidated edge, DNS load balancing with public IP addresses in Lync Server 2013",
	  TN("JJ205394"), t002 },
	{ "003_ce0b24ad26442ffe.txt", "JJ204648",
	  "Port summary - Single Director in Lync Server 2013",
	  TN("JJ204648"), t003 },
	{ "004_15cecd4d61ed5427.txt", "JJ618373",
	  "Port summary - SIP, XMPP federation, and public instant messaging in Lync Server 2013",
	  TN("JJ618373"), t004 },
	{ NULL, "MS-LBREQ", "Load balancing requirements for Lync Server 2013",
	  TN("Gg615011"), NULL },
	{ NULL, "MS-HLBREQ", "Hardware load balancer requirements for Lync Server 2013",
	  TN("JJ656815"), NULL },
	{ NULL, "MS-DNSLB", "DNS load balancing in Lync Server 2013",
	  TN("Gg398634"), NULL },
	{ NULL, "MS-RPPORTS", "Port summary - Reverse proxy in Lync Server 2013",
	  TN("JJ204932"), NULL },
	{ NULL, "MS-RPREQ", "Configuration requirements for reverse proxy in Lync Server 2013",
	  TN("JJ945651"), NULL },
	{ NULL, "MS-AVFW", "Determine external A/V firewall and port requirements for Lync Server 2013",
	  TN("Gg425882"), NULL },
	{ NULL, "MS-COMP", "Components required for external user access in Lync Server 2013",
	  TN("Gg425779"), NULL },
	{ NULL, "MS-HLBEDGE-EN", "Port summary - Scaled consolidated edge with hardware load balancers in Lync Server 2013 (English original of Gg398739)",
	  TN("Gg398739"), NULL },
	{ NULL, "MS-INTPORTS-EN", "Ports and protocols for internal servers in Lync Server 2013 (English original of Gg398833)",
	  TN("Gg398833"), NULL },
	{ NULL, "SFB-LB", "Load balancing requirements for Skype for Business Server",
	  "https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/network-requirements/load-balancing",
	  NULL },
	{ NULL, "SFB-EDGEENV", "Edge Server environmental requirements in Skype for Business Server",
	  "https://learn.microsoft.com/en-us/skypeforbusiness/plan-your-deployment/edge-server-deployments/edge-environmental-requirements",
	  NULL },
	{ NULL, "TB-IPOPT", "Topology Builder help: Add Edge Server IP Options", NULL, NULL },
	{ NULL, "EDGE-1IP-PORTS", "Lync Edge - Best Practices for Public IP Addresses (Perficient blog, 2012-12-18): default listening ports with one IP per role (all TCP 443) and one IP per server (Access 5061, Web Conferencing 444, A/V 443 and UDP 3478)",
	  "https://blogs.perficient.com/2012/12/18/lync-scaled-consolidated-edge-public-ip-addresses/",
	  NULL },
	{ NULL, "NEXTHOP-2011", "Hardware Load Balancer Requirements for Lync Server 2010 (NextHop blog, 2011-11-03)",
	  "http://blogs.technet.com/b/nexthop/archive/2011/11/03/hardware-load-balancer-requirements-for-lync-server-2010.aspx",
	  NULL },
	{ NULL, "F5-DG", "F5 deployment guide: Deploying BIG-IP LTM with Microsoft Lync Server 2010 and 2013",
	  "http://www.f5.com/pdf/deployment-guides/microsoft-lync-iapp-dg.pdf", NULL },
	{ NULL, "F5-DEVC", "F5 DevCentral: load balancing Lync Edge Servers with a hardware load balancer",
	  "https://community.f5.com/kb/technicalarticles/the-hopefully-definitive-guide-to-load-balancing-lync-edge-servers-with-a-hardwa/276615",
	  NULL },
	{ NULL, "KEMP-2010", "Kemp LoadMaster deployment guide: MS Lync 2010",
	  "https://docs.progress.com/bundle/loadmaster-deployment-guide-ms-lync-2010-ga/page/Required-Services-for-External-Facing-Edge-Pools.html",
	  NULL },
	{ NULL, "KEMP-2013", "Kemp LoadMaster deployment guide: MS Lync 2013",
	  "https://docs.progress.com/bundle/loadmaster-deployment-guide-ms-lync-2013-ga/page/DNS-Only-Configuration.html",
	  NULL },
	{ NULL, "KEMP-SFB15", "Kemp LoadMaster deployment guide: MS Skype for Business 2015",
	  "https://docs.progress.com/bundle/loadmaster-deployment-guide-ms-skype-for-business-2015-ltsf/page/Configure-Director-HLB-SIP-Virtual-Service.html",
	  NULL },
	{ NULL, "MS-PR6011", "MicrosoftDocs/OfficeDocs-SkypeForBusiness pull request 6011: A/V Edge media ports (edge environmental requirements)",
	  "https://github.com/MicrosoftDocs/OfficeDocs-SkypeForBusiness/pull/6011", NULL },
	{ NULL, "MS-DOCS109", "MicrosoftDocs/OfficeDocs-SkypeForBusiness issue 109: the hardware load balancer monitoring port",
	  "https://github.com/MicrosoftDocs/OfficeDocs-SkypeForBusiness/issues/109", NULL },
	{ NULL, "TB-PSTNGW", "Topology Builder: PSTN gateway trunk (listening port for the IP/PSTN gateway, TCP or TLS)", NULL, NULL },
	{ NULL, "CTX-2013", "Microsoft Lync 2013 and Citrix NetScaler Deployment Guide",
	  "https://www.citrix.com/content/dam/citrix/en_us/documents/products-solutions/microsoft-lync-2013-and-citrix-netscaler-deployment-guide.pdf",
	  NULL },
};
const unsigned lyncc_nsources = sizeof(lyncc_sources) / sizeof(lyncc_sources[0]);

const struct lyncc_source *
source_find(const char *name)
{
	unsigned i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < lyncc_nsources; i++)
		if ((lyncc_sources[i].file && strcmp(lyncc_sources[i].file, name) == 0) ||
		    strcmp(lyncc_sources[i].id, name) == 0)
			return &lyncc_sources[i];
	return NULL;
}

unsigned
source_table(const struct lyncc_source *s, const char *table)
{
	unsigned i;

	if (s == NULL || s->tables == NULL || table == NULL)
		return 0;
	for (i = 0; s->tables[i]; i++)
		if (strcmp(s->tables[i], table) == 0)
			return i + 1;
	return 0;
}

void
source_cite(char *buf, unsigned long n, const char *file, const char *table,
    unsigned row)
{
	const struct lyncc_source *s = source_find(file);
	unsigned t = source_table(s, table);

	if (s == NULL)
		snprintf(buf, n, "%s:%s:%u", file, table, row);
	else if (t)
		snprintf(buf, n, "%s t%u r%u", s->id, t, row);
	else
		snprintf(buf, n, "%s %s %u", s->id, table, row);
}

const struct source_row *
source_row_find(const char *page, unsigned table, unsigned row)
{
	unsigned i;

	for (i = 0; i < source_nrows; i++)
		if (source_rows[i].table == table && source_rows[i].row == row &&
		    strcmp(source_rows[i].page, page) == 0)
			return &source_rows[i];
	return NULL;
}
