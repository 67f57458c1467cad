/* fuzz_jobfile.c — the sweep's job-file reader, the only thing that decides whether a
 * file left in OUT/jobs/ is assembled into points.csv.  Half the inputs are taken as
 * they are (headers, checksums and all forged); the other half are wrapped in a valid
 * header and checksum, so that the row parser behind them is reached. */
#include <string.h>

#include "fuzz.h"
#include "vmitn/sweep.h"
#include "vmitn/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *text = malloc(size); /* the input without its first byte, which picks the mode */
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    uint64_t spec = 0x0123456789abcdefULL, job = data[0] >> 1;
    char *rows = NULL;
    if (data[0] & 1) {
        char *wrapped = vmitn_sweep_job_text(spec, job, text);
        free(text);
        text = wrapped;
    }
    char *body = NULL;
    const char *why = vmitn_sweep_job_check(spec, job, text, &body);
    if (why == NULL && (body == NULL || body < text || body > text + strlen(text)))
        abort();
    (void)rows;
    free(text);
    return 0;
}
