# golden-dir.sh - sourced by the per-device golden tests
# (tests/scripts/nft-goldens.sh, fw-goldens.sh).
# `golden_dir NAME OUT GOLD`: the files of directory OUT equal those of
# GOLD/NAME (diff -ru), else it prints FAIL and sets fail=1; with
# LYNCC_UPDATE_GOLDEN=1 it replaces GOLD/NAME by OUT's files instead.
# Prints "ok   NAME" on a match when GOLDEN_DIR_OK=1.
golden_dir() {
	if [ "${LYNCC_UPDATE_GOLDEN:-}" = 1 ]; then
		rm -rf "${3:?}/${1:?}"
		mkdir -p "$3/$1"
		cp "$2"/* "$3/$1/"
		echo "updated $3/$1"
	elif ! diff -ru "$3/$1" "$2"; then
		echo "FAIL $1: golden mismatch (LYNCC_UPDATE_GOLDEN=1 to accept)"
		fail=1
	elif [ "${GOLDEN_DIR_OK:-}" = 1 ]; then
		echo "ok   $1"
	fi
}
