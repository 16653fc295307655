# netns-lib.sh - sourced by tests/scripts/nft-*.sh that send real packets:
# `netns_setup PREFIX` exits 0 with SKIP and the reason unless root can
# make network namespaces and ip, nft and python3 are there; then exports
# NFT_NS_PREFIX (tests/nft/packets.py names every namespace PREFIX-...)
# and sets a trap that removes every namespace with that prefix.
# `netns_left` prints how many are still there.
netns_cleanup() {
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NFT_NS_PREFIX-"); do
		ip netns del "$ns"
	done
	[ -z "${netns_tmp:-}" ] || rm -rf "$netns_tmp"
}
netns_setup() {
	local c
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: needs root (ip netns, veth pairs, nft in namespaces)"
		exit 0
	fi
	for c in ip nft python3; do
		command -v $c >/dev/null || { echo "SKIP: $c not installed"; exit 0; }
	done
	export NFT_NS_PREFIX="$1"
	if ! ip netns add "$NFT_NS_PREFIX-probe" 2>/dev/null; then
		echo "SKIP: cannot create network namespaces here"
		exit 0
	fi
	ip netns del "$NFT_NS_PREFIX-probe"
	netns_tmp=$(mktemp -d)
	trap netns_cleanup EXIT
}
netns_left() {
	ip netns list 2>/dev/null | grep -c "^$NFT_NS_PREFIX-"
}
