# Completion of branch-tls-gateways.lync: the branch office gets its own
# zone (a topology holds no networks), which the branch-sites party covers.
s/^party branch-sites <$/party branch-sites <\
  zone oslo;/
