s/TODO-VIP-fepool/10.10.1.10/
s/TODO-VIP-dirpool/10.10.2.10/
s/TODO-VIP-edgepool-access/203.0.113.10/
s/TODO-VIP-edgepool-webconf/203.0.113.11/
s/TODO-VIP-edgepool-av/203.0.113.12/
s/TODO-VIP-edgepool-internal/172.16.20.10/
