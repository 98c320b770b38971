# consistent.jq - the promises of one vmlayout --json document, checked: outputs the
# list of the checks that fail ([] when the document is consistent).  Used by
# changing.sh, hostile.sh and permissions.sh:  jq -c -f consistent.jq DOC
#   order     vmas sorted by start, start < end, no overlap
#   totals    totals = the sum of every VMA's figures (size, rss, pss, shared,
#             private, swap, dirty) and vmas = their count
#   regions   each region = the sum of its VMAs; roles: likewise
#   objects   for each object path, its totals = the sum of the VMAs naming it, and
#             each part (text, rodata, relro, data, bss) = the VMAs of that role
#   kinds     every VMA's role is one of the 19 and its region the role's
# A VMA with "parts" (merged across the end of a bss) counts in regions, roles and
# objects as its two parts, the VMA itself in the second.
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
def region_of: { text: "code", jit: "code", rodata: "data", relro: "data", data: "data",
                 bss: "bss", heap: "heap", arena: "heap", anon: "mmap", shm: "mmap",
                 file: "mmap", reserved: "mmap", guard: "mmap", stack: "stack",
                 thread_stack: "stack", vdso: "special", vvar: "special",
                 vsyscall: "special", other: "special" }[.];
# the VMAs as they count in the roll-ups: a VMA with parts as its parts
def pieces: [.[] | if .parts then (.parts[0] + {n: 0}), (.parts[1] + {n: 1}) else . + {n: 1} end];
def pfigs: { size: sum(.size), rss: sum(.rss), pss: sum(.pss), shared: sum(.shared),
             private: sum(.private), swap: sum(.swap), dirty: sum(.dirty), vmas: sum(.n) };
. as $d
| ($d.vmas | map(.start | pad)) as $s
| ($d.vmas | map(.end | pad)) as $e
| ($d.vmas | pieces) as $pc
| [
    (if ([range(0; $s | length) | select($s[.] >= $e[.])] | length) > 0
        or ([range(1; $s | length) | select($e[. - 1] > $s[.])] | length) > 0
     then "order" else empty end),
    (if ($d.totals | only_figs) != ($d.vmas | figs) then "totals" else empty end),
    ($d.regions | to_entries[] | .key as $k
     | if (.value | only_figs) != ($pc | map(select(.region == $k)) | pfigs)
       then "region " + $k else empty end),
    ($d.roles | to_entries[] | .key as $k
     | if (.value | only_figs) != ($pc | map(select(.role == $k)) | pfigs)
       then "role " + $k else empty end),
    ($d.objects | group_by(.path)[] | .[0].path as $p
     | ($pc | map(select(.object == $p))) as $v
     | (if (map(.totals | only_figs) | addfigs) != ($v | pfigs) then "object totals " + $p else empty end),
       ("text", "rodata", "relro", "data", "bss") as $part
       | (map(.[$part]) | {size: sum(.size), rss: sum(.rss)}) as $o
       | ($v | map(select(.role == $part)) | {size: sum(.size), rss: sum(.rss)}) as $w
       | if $o != $w then "object " + $part + " " + $p else empty end),
    ($d.vmas[] | select((.role | region_of) == null or (.role | region_of) != .region)
     | "kind " + .start)
  ]
