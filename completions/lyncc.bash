# bash completion for lyncc(1): commands, each command's own options, the
# values of -t/--target, --format, --diagnostics-format, --color, --proto,
# check, flow and lbservice IDs for `explain`, .lync files (topology
# .xml/.tbxml for `import`).
# Installed as share/bash-completion/completions/lyncc; or source it.
# tests/scripts/repo-completions.sh keeps the option lists equal to
# `lyncc COMMAND --help`.

_lyncc_opts() {	# the options of command $1
	local diag="--stdlib -I --include-dir -Werror --werror --max-errors --diagnostics-format --diagnostics-output --color -h --help"
	case $1 in
	compile) echo "-t --target -o --output --device --no-header $diag --version" ;;
	check)   echo "-t --target $diag" ;;
	ir)      echo "-o --output $diag" ;;
	flows)   echo "--format --all --services -o --output --no-header $diag" ;;
	explain) echo "--stdlib -h --help" ;;
	diff)    echo "-t --target --format -o --output $diag" ;;
	query)   echo "--from --to --proto --port --sport -t --target --format $diag" ;;
	import)  echo "-o --output -h --help" ;;
	help)    echo "-h --help" ;;
	esac
}

_lyncc() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmds="compile check ir flows explain diff query import help"
	local cmd=compile opt= eq=0
	COMPREPLY=()
	if [ "$COMP_CWORD" -gt 1 ] || [[ $cur != -* ]]; then
		case " $cmds " in *" ${COMP_WORDS[1]} "*)
			[ "$COMP_CWORD" -gt 1 ] && cmd=${COMP_WORDS[1]} ;;
		esac
	fi
	# the option whose value is being completed: "--opt VALUE", "--opt=VALUE"
	# (bash splits at '=': "--opt" "=" "VALUE"), or "-tVALUE"
	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*} eq=1
		cur=${cur#*=}
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
		opt=${COMP_WORDS[COMP_CWORD-2]} eq=1
	elif [ "$cur" = "=" ]; then
		opt=$prev eq=1
		cur=
	elif [[ $prev == -* ]]; then
		opt=$prev
	fi
	case $opt in
	-t|--target)
		COMPREPLY=($(compgen -W "asa srx f5 f5-as3 haproxy nft all" -- "$cur")); return ;;
	--format)
		case $cmd in
		flows) COMPREPLY=($(compgen -W "table csv json md dot" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		esac
		return ;;
	--diagnostics-format)
		COMPREPLY=($(compgen -W "text json sarif" -- "$cur")); return ;;
	--color)	# an optional value: only as --color=WHEN
		[ $eq = 1 ] && { COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return; } ;;
	--proto)
		COMPREPLY=($(compgen -W "tcp udp" -- "$cur")); return ;;
	--stdlib|-I|--include-dir)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-o|--output|--diagnostics-output)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--device|--from|--to|--port|--sport|--max-errors)
		return ;;
	esac
	if [ "$COMP_CWORD" = 1 ] && [[ $cur != -* ]]; then
		COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
		COMPREPLY+=($(compgen -f -X '!*.lync' -- "$cur") $(compgen -d -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_lyncc_opts "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	help)
		COMPREPLY=($(compgen -W "$cmds" -- "$cur")) ;;
	import)
		COMPREPLY=($(compgen -f -X '!*.xml' -- "$cur") $(compgen -f -X '!*.tbxml' -- "$cur")
		    $(compgen -d -- "$cur")) ;;
	explain)	# check IDs, then the stdlib's flow and lbservice IDs
		COMPREPLY=($(compgen -W "$(lyncc explain -- '?' 2>&1 |
		    sed -n 's/^  \(LYNC-[A-Z0-9]*\) .*/\1/p')
		    $(lyncc flows --all --format csv 2>/dev/null | sed '1d; s/,.*//')
		    $(lyncc flows --all --services 2>/dev/null | sed '1d; s/,.*//')" -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -f -X '!*.lync' -- "$cur") $(compgen -d -- "$cur")) ;;
	esac
}
complete -o filenames -F _lyncc lyncc
