/*
 * test_import.c - lyncc_import_buffer (compiler/import.c, docs/import.md):
 * names rewritten into .lync names and made unique, 0.0.0.0 as a
 * placeholder, the two document forms, empty and non-XML input, errors
 * with their line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "import.h"

#define TOPO	"<Topology xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008\">"

static struct lyncc_import
run(const char *doc, int want_rc)
{
	struct lyncc_import r;

	assert_int_equal(lyncc_import_buffer("t.xml", doc, strlen(doc), &r), want_rc);
	assert_non_null(r.diags);
	return r;
}

static void
names_unique_and_valid(void **state)
{
	(void)state;
	/* two sites whose names rewrite to the same name; a site name that
	 * starts with a digit; a pool named like a zone */
	struct lyncc_import r = run(TOPO
	    "<Sites><CentralSite SiteId=\"1\"><Name>Head Office</Name></CentralSite>"
	    "<CentralSite SiteId=\"2\"><Name>head-office</Name></CentralSite>"
	    "<CentralSite SiteId=\"3\"><Name>9 Elms</Name></CentralSite></Sites>"
	    "<Clusters><Cluster Fqdn=\"corp.x.example\"><ClusterId SiteId=\"1\" Number=\"1\"/>"
	    "<Machine Fqdn=\"m\"><NetInterface InterfaceSide=\"Primary\" InterfaceNumber=\"1\" "
	    "IPAddress=\"0.0.0.0\"/></Machine></Cluster></Clusters>"
	    "<Services><Service><ServiceId SiteId=\"1\" RoleName=\"Registrar\" Instance=\"1\"/>"
	    "<InstalledOn><ClusterId SiteId=\"1\" Number=\"1\"/></InstalledOn></Service></Services>"
	    "</Topology>", 0);

	assert_int_equal(r.nsites, 3);
	assert_string_equal(r.sites[0].name, "head-office");
	assert_string_equal(r.sites[1].name, "head-office-2");
	assert_string_equal(r.sites[2].name, "site-9-elms");
	/* the pool "corp" would clash with the zone corp */
	assert_non_null(strstr(r.sites[0].text, "\nfrontend pool corp-2 <\n"));
	assert_non_null(strstr(r.sites[0].text, "  node 1 TODO-ADDRESS-corp-2-node1;"));
	assert_null(strstr(r.sites[0].text, " 0.0.0.0;"));
	assert_non_null(strstr(r.sites[0].text, "# 1 TODO- placeholder to fill in.\n"));
	lyncc_import_free(&r);
}

static void
empty_and_not_xml(void **state)
{
	struct lyncc_import r;

	(void)state;
	assert_int_equal(lyncc_import_buffer("e.xml", "", 0, &r), -1);
	assert_non_null(strstr(r.diags, "e.xml:"));
	assert_non_null(strstr(r.diags, ": error: not well-formed XML"));
	assert_int_equal(r.nsites, 0);
	lyncc_import_free(&r);
	r = run("site hq;\n", -1);
	assert_non_null(strstr(r.diags, "t.xml:1:1: error: not well-formed XML: "
	    "Start tag expected, '<' not found\n    1 | site hq;\n      | ^\n"));
	lyncc_import_free(&r);
}

static void
tbxml_needs_new_topology(void **state)
{
	struct lyncc_import r;

	(void)state;
	r = run("<TopologyBuilder xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy."
	    "TopologyBuilder.2008\">\n<OldTopology/>\n</TopologyBuilder>", -1);
	assert_string_equal(r.diags, "t.xml:1:1: error: <TopologyBuilder>: no <NewTopology> "
	    "element\n"
	    "    1 | <TopologyBuilder xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy."
	    "TopologyBuilder.2008\">\n"
	    "      | ^~~~~~~~~~~~~~~~\n"
	    "  hint: a .tbxml holds the topology to publish in <NewTopology><PartialTopology>\n"
	    "1 error generated.\n");
	lyncc_import_free(&r);
}

static void
errors_name_their_line(void **state)
{
	struct lyncc_import r;

	(void)state;
	/* a central site without a name (line 2), a NetInterface without a
	 * side (line 4): both reported, nothing written */
	r = run(TOPO "<Sites>\n<CentralSite SiteId=\"1\"/></Sites><Clusters>\n"
	    "<Cluster Fqdn=\"a.example\"><ClusterId SiteId=\"1\" Number=\"1\"/><Machine>\n"
	    "<NetInterface IPAddress=\"10.0.0.1\"/></Machine></Cluster></Clusters></Topology>",
	    -1);
	assert_int_equal(r.nerrors, 2);
	assert_non_null(strstr(r.diags, "t.xml:2:1: error: <CentralSite>: no <Name> element"));
	assert_non_null(strstr(r.diags, "t.xml:4:1: error: <NetInterface>: no InterfaceSide"));
	/* the caret is under the start tag on its line */
	assert_non_null(strstr(r.diags, "    2 | <CentralSite SiteId=\"1\"/></Sites><Clusters>\n"
	    "      | ^~~~~~~~~~~~\n"));
	assert_int_equal(r.nsites, 0);
	assert_null(r.sites);
	lyncc_import_free(&r);
}

static void
director_and_ipv6(void **state)
{
	(void)state;
	struct lyncc_import r = run(TOPO
	    "<Sites><CentralSite SiteId=\"1\"><Name>d</Name></CentralSite></Sites>"
	    "<Clusters><Cluster Fqdn=\"dir.x.example\"><ClusterId SiteId=\"1\" Number=\"4\"/>"
	    "<Machine Fqdn=\"d1\"><NetInterface InterfaceSide=\"Primary\" InterfaceNumber=\"1\" "
	    "IPAddress=\"2001:db8::11\"/></Machine></Cluster></Clusters>"
	    "<Services><Service><ServiceId SiteId=\"1\" RoleName=\"Registrar\" Instance=\"2\"/>"
	    "<InstalledOn><ClusterId SiteId=\"1\" Number=\"4\"/></InstalledOn>"
	    "<RegistrarService xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008\" "
	    "IsDirector=\"true\"/></Service></Services></Topology>", 0);

	assert_non_null(strstr(r.sites[0].text, "\ndirector pool dir <\n"));
	assert_non_null(strstr(r.sites[0].text, "  node 1 2001:db8::11;   # d1\n"));
	assert_null(strstr(r.sites[0].text, "\ndomain "));
	assert_non_null(strstr(r.sites[0].text, "# TODO(lyncc import): the topology has no "
	    "InternalDomains DefaultDomain\n"));
	lyncc_import_free(&r);
}

#define GW(n, port, proto) \
	"<Cluster Fqdn=\"gw" #n ".x.example\"><ClusterId SiteId=\"1\" Number=\"" #n "\"/>" \
	"<Machine><NetInterface InterfaceSide=\"Pstn\" IPAddress=\"10.0.5." #n "\"/></Machine>" \
	"</Cluster>"
#define GWSVC(n, port, proto) \
	"<Service><ServiceId SiteId=\"1\" RoleName=\"PstnGateway\" Instance=\"" #n "\"/>" \
	"<InstalledOn><ClusterId SiteId=\"1\" Number=\"" #n "\"/></InstalledOn>" \
	"<Ports><Port Owner=\"urn:component:GatewayComp\" InterfaceSide=\"Pstn\" Port=\"" \
	#port "\" Protocol=\"" #proto "\"/></Ports></Service>"

/* gateways on different SIP ports: one party has one sip-port, so the
 * import writes a placeholder and lists each gateway's; no TLS feature
 * for a mix of TCP and TLS */
static void
gateways_on_different_ports(void **state)
{
	(void)state;
	struct lyncc_import r = run(TOPO
	    "<Sites><CentralSite SiteId=\"1\"><Name>g</Name></CentralSite></Sites>"
	    "<Clusters>" GW(2, 5066, Tcp) GW(3, 5067, Tls) "</Clusters>"
	    "<Services>" GWSVC(2, 5066, Tcp) GWSVC(3, 5067, Tls) "</Services></Topology>", 0);

	assert_non_null(strstr(r.sites[0].text, "features < enterprise-voice; >\n"));
	assert_non_null(strstr(r.sites[0].text, "  address 10.0.5.2;   # gw2.x.example\n"
	    "  address 10.0.5.3;   # gw3.x.example\n"
	    "  # TODO(lyncc import): the gateways listen on different SIP ports (GatewayComp):\n"
	    "  #   gw2.x.example Tcp 5066\n"
	    "  #   gw3.x.example Tls 5067\n"));
	assert_non_null(strstr(r.sites[0].text, "  sip-port TODO-SIP-PORT;\n"));
	lyncc_import_free(&r);
	/* the same port and TLS on every gateway: sip-port and the feature */
	r = run(TOPO
	    "<Sites><CentralSite SiteId=\"1\"><Name>g</Name></CentralSite></Sites>"
	    "<Clusters>" GW(2, 5067, Tls) GW(3, 5067, Tls) "</Clusters>"
	    "<Services>" GWSVC(2, 5067, Tls) GWSVC(3, 5067, Tls) "</Services></Topology>", 0);
	assert_non_null(strstr(r.sites[0].text, "features < enterprise-voice; pstn-gateway-tls; >\n"));
	assert_non_null(strstr(r.sites[0].text, "  sip-port 5067;   # the gateways' GatewayComp TLS port\n"));
	lyncc_import_free(&r);
	/* a port that is not a number: an error at the attribute's value */
	r = run(TOPO "<Sites><CentralSite SiteId=\"1\"><Name>g</Name></CentralSite></Sites>\n"
	    "<Clusters>" GW(2, 5067, Tls) "</Clusters><Services>\n" GWSVC(2, 50x7, Tls)
	    "</Services></Topology>", -1);
	assert_non_null(strstr(r.diags, "t.xml:3:204: error: <Port>: '50x7' is not a port "
	    "number (1-65535)\n"));
	assert_int_equal(r.nerrors, 1);
	lyncc_import_free(&r);
}

/* a branch site of a published topology with several central sites: its
 * central site is not known, so each site's file names it in a comment */
static void
branch_of_unknown_site(void **state)
{
	(void)state;
	struct lyncc_import r = run(TOPO
	    "<Sites><CentralSite SiteId=\"1\"><Name>a</Name></CentralSite>"
	    "<CentralSite SiteId=\"2\"><Name>b</Name></CentralSite>"
	    "<BranchSite SiteId=\"3\"><Name>Br</Name></BranchSite></Sites></Topology>", 0);

	assert_int_equal(r.nsites, 2);
	assert_non_null(strstr(r.sites[0].text, "# TODO(lyncc import): branch site \"Br\" "
	    "(SiteId 3): the topology does not say which\n"));
	assert_non_null(strstr(r.sites[1].text, "# TODO(lyncc import): branch site \"Br\" "
	    "(SiteId 3): the topology does not say which\n"));
	assert_null(strstr(r.sites[0].text, "party branch-sites"));
	lyncc_import_free(&r);
}

/* a .tbxml nests a branch site in its central site's RemoteSites, with
 * its own clusters: its Survivable Branch Appliance (a Registrar) becomes
 * the party branch-sites; with an edge pool, survivable-branch */
static void
tbxml_branch_site(void **state)
{
	(void)state;
	struct lyncc_import r = run("<TopologyBuilder xmlns=\"urn:schema:Microsoft.Rtc."
	    "Management.Deploy.TopologyBuilder.2008\"><NewTopology><PartialTopology "
	    "xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.WritableTopology.2008\">"
	    "<CentralSites><CentralSite SiteId=\"1\"><Name>HQ</Name><Clusters>"
	    "<Cluster UniqueId=\"fe\" Fqdn=\"fe.x.example\"><Machines><Machine Fqdn=\"fe.x.example\">"
	    "<NetInterface InterfaceSide=\"Primary\" IPAddress=\"10.0.1.10\"/></Machine></Machines></Cluster>"
	    "<Cluster UniqueId=\"ed\" Fqdn=\"edge.x.example\"><Machines><Machine Fqdn=\"edge.x.example\">"
	    "<NetInterface InterfaceSide=\"Internal\" IPAddress=\"172.16.0.10\"/>"
	    "<NetInterface InterfaceSide=\"External\" InterfaceNumber=\"1\" IPAddress=\"203.0.113.1\"/>"
	    "<NetInterface InterfaceSide=\"External\" InterfaceNumber=\"2\" IPAddress=\"203.0.113.2\"/>"
	    "<NetInterface InterfaceSide=\"External\" InterfaceNumber=\"3\" IPAddress=\"203.0.113.3\"/>"
	    "</Machine></Machines></Cluster></Clusters>"
	    "<RemoteSites><BranchSite SiteId=\"2\"><Name>Oslo</Name><Clusters>"
	    "<Cluster UniqueId=\"sba\" Fqdn=\"sba.x.example\"><Machines><Machine Fqdn=\"sba.x.example\">"
	    "<NetInterface InterfaceSide=\"Primary\" IPAddress=\"10.9.0.5\"/></Machine></Machines></Cluster>"
	    "</Clusters></BranchSite></RemoteSites></CentralSite></CentralSites><Services>"
	    "<Service UniqueId=\"r1\" RoleName=\"Registrar\" InstalledOn=\"fe\"/>"
	    "<Service UniqueId=\"e1\" RoleName=\"EdgeServer\" InstalledOn=\"ed\"/>"
	    "<Service UniqueId=\"r2\" RoleName=\"Registrar\" InstalledOn=\"sba\"/>"
	    "</Services></PartialTopology></NewTopology></TopologyBuilder>", 0);

	assert_int_equal(r.nsites, 1);
	assert_non_null(strstr(r.sites[0].text, "features < survivable-branch; >\n"));
	assert_non_null(strstr(r.sites[0].text, "party branch-sites <\n"
	    "  address 10.9.0.5;   # sba.x.example, branch site \"Oslo\"\n>\n"));
	/* the appliance is no pool of the central site */
	assert_null(strstr(r.sites[0].text, "pool sba"));
	lyncc_import_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_unique_and_valid),
		cmocka_unit_test(empty_and_not_xml),
		cmocka_unit_test(tbxml_needs_new_topology),
		cmocka_unit_test(errors_name_their_line),
		cmocka_unit_test(director_and_ipv6),
		cmocka_unit_test(gateways_on_different_ports),
		cmocka_unit_test(branch_of_unknown_site),
		cmocka_unit_test(tbxml_branch_site),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
