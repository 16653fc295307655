# Completion of ee-hlb-single-edge.lync: the HLB VIPs (one external VIP for
# the three edge services, as the edge's single FQDN resolves to one address).
s/TODO-VIP-pool/10.70.1.10/
s/TODO-VIP-edgepool-external/203.0.113.80/g
s/TODO-VIP-edgepool-internal/172.16.70.10/
