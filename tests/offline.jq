# offline.jq - jq definitions shared by the tests/offline-*.sh scripts.
# pad: a hex address string as 16 zero-padded digits, so that string order is number order.
def pad: ltrimstr("0x") | ("0000000000000000"[0:(16 - length)]) + .;
def vma_at($a): ($a | pad) as $x | [.vmas[] | select((.start | pad) <= $x and $x < (.end | pad))];
# What two reads of the same live process may differ in: PSS and SwapPss, and the split
# of resident file pages between shared and private (other processes map and unmap
# the same pages meanwhile), the state letter (R while it runs), and "source", which
# says which of the two it is.  Everything else must be equal: sizes, RSS, roles,
# objects, addresses.
def live_only: del(.source, .process.state) | del(.. | .pss?, .Pss?, .Pss_Dirty?, .Pss_Anon?, .Pss_File?, .Pss_Shmem?, .SwapPss?, .shared?, .private?, .Shared_Clean?, .Shared_Dirty?, .Private_Clean?, .Private_Dirty?);
