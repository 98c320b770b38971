# fish completion for vmlayout(1): the options, the values of --color, and
# the PID|NAME argument (process IDs described by their command names, and the
# command names of the processes that have a user address space).

# Print "PID<tab>COMM" for each process that is not a kernel thread, and then
# "COMM<tab>process name" once for each command name.
function __vmlayout_procs
    set -l names
    for f in /proc/*/stat
        string match -qr '^/proc/\d+/stat$' -- $f; or continue
        read -l line <$f 2>/dev/null; or continue
        # pid (comm) state ppid pgrp session tty_nr tpgid flags ...
        set -l m (string match -r '^(\d+) \((.*)\) (.*)$' -- $line); or continue
        set -l fields (string split ' ' -- $m[4])
        string match -qr '^\d+$' -- $fields[7]; or continue
        test (math "bitand($fields[7], 0x200000)") -eq 0; or continue # PF_KTHREAD
        printf '%s\t%s\n' $m[2] $m[3]
        contains -- $m[3] $names; or set -a names $m[3]
    end
    printf '%s\tprocess name\n' $names
end

# True when no PID|NAME argument has been given yet.
function __vmlayout_needs_target
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l dashdash 0
    for t in $tokens
        if test $dashdash -eq 1
            return 1
        end
        switch $t
            case --
                set dashdash 1
            case '-*'
            case '*'
                return 1
        end
    end
    return 0
end

complete -c vmlayout -f
# The options, one a line.
complete -c vmlayout -s j -l json -d 'Print the JSON document instead of the text view'
complete -c vmlayout -s b -l bytes -d 'Print sizes in bytes instead of human units'
complete -c vmlayout -l color -a 'auto always never' -d 'Colour the text view'
complete -c vmlayout -l ascii -d 'Draw the diagram with ASCII characters'
complete -c vmlayout -s '?' -l help -d 'Give the help list'
complete -c vmlayout -l usage -d 'Give a short usage message'
complete -c vmlayout -s V -l version -d 'Print the program version'
# The PID|NAME argument.
complete -c vmlayout -n __vmlayout_needs_target -a '(__vmlayout_procs)'
