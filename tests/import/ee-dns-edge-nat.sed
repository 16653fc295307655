# Completion of ee-dns-edge-nat.lync: the front end pool's HLB VIP and the
# addresses the topology leaves at 0.0.0.0 or gives none for.
s/TODO-VIP-fepool/10.50.1.10/
s/TODO-ADDRESS-fepool-node\([1-4]\)/10.50.1.1\1/
s/TODO-ADDRESS-owa1-node1/10.50.3.11/
