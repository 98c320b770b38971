/* snapshot.h - save a process's /proc files and ELF headers as a snapshot directory,
 * and read it back as a source (source.h: source_open_snapshot())
 *
 * A snapshot is everything a later analysis needs: the files of /proc/PID under the same
 * names, the ELF headers of each mapped file under elf/, and a file "snapshot".
 * Reading it gives the same model, and so the same views, as reading the live
 * process did at the time (apart from what differs between any two reads of a
 * live process: see snapshot_save()).  It is the natural attachment for a bug
 * report: small (tens of KiB of text, plus the ELF headers) and free of the
 * process's memory contents.
 */
#ifndef VMLAYOUT_SNAPSHOT_H
#define VMLAYOUT_SNAPSHOT_H

#include <stddef.h>
#include <sys/types.h>

/* Save process pid into the new directory dir (created with mode 0700; it must not
 * exist).  Written:
 *   smaps         one read of /proc/PID/smaps that is ordered and without overlap:
 *                 re-read up to 5 times as a live read does; when no read was
 *                 consistent the last one is kept (and reading the snapshot says so);
 *   smaps_rollup, status, stat, auxv, cmdline, comm, personality: copied as read
 *                 (a file that cannot be read, say personality without ptrace
 *                 access, is left out);
 *   exe           a regular file holding the target of /proc/PID/exe (its bytes);
 *   task/TID/stat, task/TID/syscall   for each thread;
 *   snapshot      "vmlayout-snapshot 1", "pid PID", "user NAME", "page-size BYTES",
 *                 "exe MAJ:MIN:INODE" (MAJ, MIN in lower-case hex), one per line;
 *   elf/MAJ:MIN:INODE   for each file mapped privately (the files attribution
 *                 reads), opened safely with procfs_open_mapped(): a sparse file of
 *                 the file's size holding, at their offsets, the ELF header, the
 *                 program headers, the section headers and .shstrtab (found with
 *                 libelf); for a file that is not ELF, its first 16 bytes.
 * Two live reads differ in what the rest of the system changes: PSS and SwapPss of
 * shared pages (other processes map and unmap them), Referenced; the snapshot holds
 * the values of its own read.
 * "snapshot" is written last: a directory without it is not a snapshot.  On failure
 * the directory and what was written in it are removed.
 * Returns 0, with in msg (msglen bytes) the warnings, one a line (none: ""): a file
 * left out as it was not permitted, the executable's path or the user's name not
 * read, smaps never read consistently; or -1 with errno and msg saying what failed: ESRCH (no
 * such process, or it exited), EACCES (no ptrace read access to smaps), EEXIST
 * (dir exists), an error of mkdir(2) or write(2).  A file of a mapped object that
 * cannot be opened is not an error: it is left out (reading the snapshot then
 * attributes its VMAs by heuristics, with a warning). */
int snapshot_save(pid_t pid, const char *dir, char *msg, size_t msglen);

/* Rewrite every elf/ file of the snapshot dir in the packed form: a text header
 * "VMLAYOUT-ELF-PIECES 1\n", "size BYTES\n" (the original file's size), then for
 * each piece "piece OFFSET LENGTH\n" followed by LENGTH bytes and "\n", and
 * "end\n".  A packed file is as small as its pieces wherever it is copied (a sparse
 * file grows to its full size in git or in an archive made without --sparse).
 * Files already packed are left as they are.  Each file is replaced whole (a new file
 * renamed over it): after a failure, the files not packed yet are as they were, and
 * the snapshot is still complete.  Returns 0, or -1 with errno and msg. */
int snapshot_pack(const char *dir, char *msg, size_t msglen);

/* Open elf/NAME of the snapshot directory dirfd for reading ELF headers: a plain
 * (sparse) file is returned as it is; a packed file is expanded into an anonymous
 * regular file (memfd) of the recorded size with each piece at its offset.
 * Returns a read-only fd (O_CLOEXEC), or -1 with errno: ENOENT (not recorded), EINVAL
 * (not a regular file), ENOEXEC (a packed file that is malformed), ENOMEM, or the
 * error of openat(2) or read(2). */
int snapshot_open_elf_file(int dirfd, const char *name);

#endif
