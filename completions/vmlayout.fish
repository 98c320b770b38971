# fish completion for vmlayout(1): the options, the values of the options that
# take one (column names from "vmlayout --list-columns", roles, regions,
# permissions; lists item by item), and the PID|NAME arguments (process IDs
# described by their command names, and the command names of the processes
# that have a user address space).

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

# Print "WORD<tab>DESCRIPTION" for each item of a comma-separated list: the
# items already typed are kept in front (and a leading "+" for -o).
# $argv: "columns", or the items to offer.
function __vmlayout_list
    set -l tok (commandline -ct)
    set -l head (string match -r '^.*,' -- $tok)
    if test -z "$head"
        set head (string match -r '^\+' -- $tok)
    end
    if test "$argv[1]" = columns
        set -l prog (commandline -opc)[1]
        $prog --list-columns --raw --noheadings 2>/dev/null | while read -l name desc
            printf '%s%s\t%s\n' "$head" $name (string unescape --style=script -- (string replace -a '\\x20' ' ' -- $desc))
        end
    else
        printf "$head%s\n" $argv
    end
end

function __vmlayout_columns
    set -l prog (commandline -opc)[1]
    $prog --list-columns --raw --noheadings 2>/dev/null | while read -l name desc
        printf '%s\n' $name
    end
end

complete -c vmlayout -f
# The options, one a line.
complete -c vmlayout -s j -l json -d 'Print the JSON document instead of the text view'
complete -c vmlayout -l json-lines -d 'Print one JSON document per line for each process'
complete -c vmlayout -l rollup -d 'With --json: also read smaps_rollup, the exact sums'
complete -c vmlayout -l svg -d 'Draw the diagram as an SVG document'
complete -c vmlayout -s b -l bytes -d 'Print sizes in bytes instead of human units'
complete -c vmlayout -l diagram -d 'Print the diagram of the address space'
complete -c vmlayout -l summary -d 'Print the table of the regions'
complete -c vmlayout -l objects -d 'Print the table of the ELF objects'
complete -c vmlayout -l roles -d 'Print the table of the roles'
complete -c vmlayout -l color -a 'auto always never' -d 'Colour the text view'
complete -c vmlayout -l ascii -d 'Draw the diagram with ASCII characters'
complete -c vmlayout -l reference -x -a 'x86_64 x86_64-la57 i386 arm64-39 arm64-48 arm64' -d 'Draw the documented layout of an architecture'
complete -c vmlayout -s v -l vmas -d 'Print a table of the VMAs'
complete -c vmlayout -s o -l output -x -a '(__vmlayout_list columns)' -d 'Columns of the VMA table'
complete -c vmlayout -l output-all -d 'Print every column'
complete -c vmlayout -s H -l list-columns -d 'List the columns and exit'
complete -c vmlayout -l sort -x -a '(__vmlayout_columns)' -d 'Sort the rows by a column'
complete -c vmlayout -s r -l raw -d 'Raw table output'
complete -c vmlayout -s P -l pairs -d 'Print NAME="value" pairs'
complete -c vmlayout -s n -l noheadings -d 'Print no header line'
complete -c vmlayout -l total -d 'End the table with a row of totals'
complete -c vmlayout -l role -x -a '(__vmlayout_list text jit rodata relro data bss heap arena anon shm file reserved guard stack thread_stack vdso vvar vsyscall other)' -d 'Only the VMAs of these roles'
complete -c vmlayout -l region -x -a '(__vmlayout_list code data bss heap mmap stack special)' -d 'Only the VMAs of these regions'
complete -c vmlayout -l perms -x -a 'r w x s p rw rx wx rwx' -d 'Only the VMAs with all these permissions'
complete -c vmlayout -l object -x -d 'Only the VMAs whose object matches a pattern'
complete -c vmlayout -l addr -x -d 'What is at an address: ADDR[,LEN]'
complete -c vmlayout -l save -x -a '(__fish_complete_directories)' -d 'Save a snapshot of the process into a new directory'
complete -c vmlayout -l smaps -r -F -d 'Read smaps text from a file'
complete -c vmlayout -l maps -r -F -d 'Read maps text from a file'
complete -c vmlayout -l sysroot -x -a '(__fish_complete_directories)' -d 'Look the mapped files up under a directory'
complete -c vmlayout -l base -x -d 'Load a position-independent ELF file at an address'
complete -c vmlayout -l diff -d 'Compare two moments of a process: OLD NEW'
complete -c vmlayout -l force -d 'With --diff: compare even two processes, schemas or filtered documents'
complete -c vmlayout -l watch -d 'Sample the process every SECONDS (--watch=SECONDS) and show what grows'
complete -c vmlayout -l count -x -d 'With --watch: stop after N samples'
complete -c vmlayout -s A -l all -d 'Every process of the machine, one row each'
complete -c vmlayout -l users -d 'One row per user (implies --all)'
complete -c vmlayout -l user -x -a '(__fish_complete_users)' -d 'Only the processes of these users'
complete -c vmlayout -l jobs -x -d 'Read N processes at once'
complete -c vmlayout -l openmetrics -d 'Print OpenMetrics text for Prometheus'
complete -c vmlayout -s '?' -l help -d 'Give the help list'
complete -c vmlayout -l usage -d 'Give a short usage message'
complete -c vmlayout -s V -l version -d 'Print the program version'
# The PID|NAME arguments, any number of them.
complete -c vmlayout -n 'not string match -q -- "-*" (commandline -ct)' -a '(__vmlayout_procs)'
