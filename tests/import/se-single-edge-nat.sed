# Completion of se-single-edge-nat.lync: the addresses the topology leaves
# at 0.0.0.0 (its TODO-ADDRESS- placeholders), as docs/import.md says.
s/TODO-ADDRESS-sfbse-node1/10.40.1.10/
s/TODO-ADDRESS-edge-node1-external/172.16.41.10/g
s/TODO-ADDRESS-edge-node1-internal/172.16.42.10/
s/TODO-ADDRESS-gateway-sbc1/10.40.5.10/
