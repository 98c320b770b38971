# consistent.jq - the promises of one vmlayout --json document, checked: outputs the
# list of the checks that fail ([] when the document is consistent).  Used by
# changing.sh, hostile.sh and permissions.sh:  jq -c -f consistent.jq DOC
#   order     vmas sorted by start, start < end, no overlap
#   totals    totals = the sum of every VMA's figures (size, rss, pss, shared,
#             private, swap, dirty) and vmas = their count
#   regions   each region = the sum of its VMAs; roles: likewise
#   objects   for each object path, its totals = the sum of the VMAs naming it, and
#             each part (text, rodata, relro, data, bss) = the VMAs of that role
#   kinds     every VMA's role is one of the 16 and its region the role's
# Addresses are compared as zero-padded hex strings (jq 1.6 numbers are doubles).
def pad: ltrimstr("0x") | ("0000000000000000"[0:(16 - length)]) + .;
def sum(f): map(f) | add // 0;
def figs: { size: sum(.size), rss: sum(.rss), pss: sum(.pss), shared: sum(.shared),
            private: sum(.private), swap: sum(.swap), dirty: sum(.dirty), vmas: length };
def addfigs: { size: sum(.size), rss: sum(.rss), pss: sum(.pss), shared: sum(.shared),
               private: sum(.private), swap: sum(.swap), dirty: sum(.dirty),
               vmas: sum(.vmas) };
# the figures of a roll-up, without any other member it may carry
def only_figs: { size, rss, pss, shared, private, swap, dirty, vmas };
def region_of: { text: "code", rodata: "data", relro: "data", data: "data", bss: "bss",
                 heap: "heap", anon: "mmap", shm: "mmap", file: "mmap", guard: "mmap",
                 stack: "stack", thread_stack: "stack", vdso: "special", vvar: "special",
                 vsyscall: "special", other: "special" }[.];
. as $d
| ($d.vmas | map(.start | pad)) as $s
| ($d.vmas | map(.end | pad)) as $e
| [
    (if ([range(0; $s | length) | select($s[.] >= $e[.])] | length) > 0
        or ([range(1; $s | length) | select($e[. - 1] > $s[.])] | length) > 0
     then "order" else empty end),
    (if ($d.totals | only_figs) != ($d.vmas | figs) then "totals" else empty end),
    ($d.regions | to_entries[] | .key as $k
     | if (.value | only_figs) != ($d.vmas | map(select(.region == $k)) | figs)
       then "region " + $k else empty end),
    ($d.roles | to_entries[] | .key as $k
     | if (.value | only_figs) != ($d.vmas | map(select(.role == $k)) | figs)
       then "role " + $k else empty end),
    ($d.objects | group_by(.path)[] | .[0].path as $p
     | ($d.vmas | map(select(.object == $p))) as $v
     | (if (map(.totals | only_figs) | addfigs) != ($v | figs) then "object totals " + $p else empty end),
       ("text", "rodata", "relro", "data", "bss") as $part
       | (map(.[$part]) | {size: sum(.size), rss: sum(.rss)}) as $o
       | ($v | map(select(.role == $part)) | {size: sum(.size), rss: sum(.rss)}) as $w
       | if $o != $w then "object " + $part + " " + $p else empty end),
    ($d.vmas[] | select((.role | region_of) == null or (.role | region_of) != .region)
     | "kind " + .start)
  ]
