s/TODO-VIP-lonpool/10.1.1.10/
