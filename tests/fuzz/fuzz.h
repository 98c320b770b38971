/* fuzz.h - what the fuzz targets share with their replay main()
 *
 * Each target (fuzz-smaps.c, fuzz-elf.c, fuzz-json.c) defines
 * LLVMFuzzerTestOneInput().  Built with clang -fsanitize=fuzzer (make fuzz), libFuzzer
 * drives it; built without (make check), replay.c's main() feeds it every kept input
 * (tests/fuzz/NAME/corpus and tests/fuzz/NAME/regressions) and prints TAP.  A target
 * checks the properties the module promises and calls abort() when one fails, so a
 * broken promise is a crash for libFuzzer and a failed test for make check.
 */
#ifndef VMLAYOUT_FUZZ_H
#define VMLAYOUT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() with a message when cond is false: the property that failed. */
#define FUZZ_CHECK(cond)                                                          \
	do {                                                                      \
		if (!(cond)) {                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,    \
				__LINE__, #cond);                                 \
			abort();                                                  \
		}                                                                 \
	} while (0)

#endif
