/* source.c - what every source shares (see source.h) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "elf/elfinfo.h"
#include "source/source.h"

void source_set_exe_elf(struct layout *L, const struct elf_info *ei)
{
	L->elf_class = ei->elf_class;
	L->machine = ei->machine;
	L->exe_type = ei->type;
	L->exe_has_interp = ei->has_interp;
	L->exe_pie_flag = ei->pie_flag;
}

void source_close(struct source *src)
{
	if (src->ops && src->ops->close)
		src->ops->close(src->priv);
	src->ops = NULL;
	src->priv = NULL;
}

int sources_open_file(const char *sysroot, const char *path, struct stat *st)
{
	int pfd = -1;

	if (!path || path[0] != '/') {
		errno = ENOENT;
		return -1;
	}
	if (sysroot && sysroot[0] && strcmp(sysroot, "/") != 0) {
		int root = open(sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			return -1;
#ifdef SYS_openat2
		struct open_how how = {
			.flags = O_PATH | O_CLOEXEC,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
		};
		pfd = (int)syscall(SYS_openat2, root, path + 1, &how, sizeof(how));
		if (pfd < 0 && errno == ENOSYS)
#endif
			pfd = openat(root, path + 1, O_PATH | O_CLOEXEC);
		int e = errno;
		close(root);
		errno = e;
	} else {
		pfd = open(path, O_PATH | O_CLOEXEC);
	}
	if (pfd < 0)
		return -1;
	if (fstat(pfd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(pfd);
		errno = EINVAL;
		return -1;
	}
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	int fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int e = errno;
	close(pfd);
	errno = e;
	return fd;
}

/* ------------------------------------------------------------------ smaps text */
