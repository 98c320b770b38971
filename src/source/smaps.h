/* smaps.h - parser for /proc/PID/smaps and /proc/PID/maps text
 *
 * The parser turns the text of smaps (or maps: the same header lines without the
 * "Key: value" lines) into an array of struct vma in the order the kernel printed
 * them.  It takes a stream, never a PID, so that recorded fixtures and offline
 * input go through the same code as a live process.
 *
 * Units: every address and size in a struct vma is in bytes.  The kernel prints the
 * figures in kB (which is KiB); the parser multiplies by 1024.
 */
#ifndef VMLAYOUT_SMAPS_H
#define VMLAYOUT_SMAPS_H

#include <stddef.h>

#include "model/vma.h"

/* Where a parse failed. */
struct smaps_error {
	unsigned long line;	/* 1-based line number of the bad line, 0 if none */
	char msg[160];
};

/* Parse smaps or maps text read from the file descriptor fd until end of file.
 * Appends to l (call vma_list_clear() first for a fresh read).
 * The text is read with read(2) into one buffer, three quarters of a page at a
 * time from /proc (see proc_read_size() in smaps.c), 512 KiB at a time from any
 * other file, and the whole lines of each read are parsed before the next; a
 * partial line waits for the rest (the buffer grows for a long one: lines of any
 * length are accepted).  Nothing is allocated per line.
 * Returns 0 on success; -1 on error with errno set:
 *   ENOEXEC  a malformed line (err->line and err->msg say which and why);
 *   ENOMEM   out of memory;
 *   ESRCH    read(2) failed with ESRCH (the process exited);
 *   any other errno from read(2).
 * A file that ends in the middle of a line is malformed. */
int smaps_parse_fd(int fd, struct vma_list *l, struct smaps_error *err);

/* The same on the len bytes at buf (for tests and fuzzing): 0, or -1 with errno
 * ENOEXEC (err says where) or ENOMEM. */
int smaps_parse_buf(const char *buf, size_t len, struct vma_list *l, struct smaps_error *err);

#endif
