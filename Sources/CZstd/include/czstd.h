#ifndef HARNESS_AUDIT_CZSTD_H
#define HARNESS_AUDIT_CZSTD_H
// The part of zstd's stable API that harness-audit uses, reached through the shared library
// loaded at run time (libzstd.so.1, present wherever dpkg or systemd is), so building needs
// no zstd headers. The two buffer structs have zstd's documented, stable layout.
#include <stddef.h>

typedef struct ha_zstd_cctx ha_zstd_cctx;
typedef struct ha_zstd_dstream ha_zstd_dstream;

typedef struct {
    const void *src;
    size_t size;
    size_t pos;
} ha_zstd_in_buffer;

typedef struct {
    void *dst;
    size_t size;
    size_t pos;
} ha_zstd_out_buffer;

/// Loads the library once. Returns NULL when it is ready, or why it could not be loaded.
const char *ha_zstd_load(void);

size_t ha_zstd_compress_bound(size_t size);
ha_zstd_cctx *ha_zstd_create_cctx(void);
void ha_zstd_free_cctx(ha_zstd_cctx *context);
size_t ha_zstd_compress_cctx(ha_zstd_cctx *context, void *dst, size_t capacity,
                             const void *src, size_t size, int level);
size_t ha_zstd_decompress(void *dst, size_t capacity, const void *src, size_t size);
unsigned ha_zstd_is_error(size_t code);
const char *ha_zstd_error_name(size_t code);
ha_zstd_dstream *ha_zstd_create_dstream(void);
void ha_zstd_free_dstream(ha_zstd_dstream *stream);
size_t ha_zstd_decompress_stream(ha_zstd_dstream *stream, ha_zstd_out_buffer *output,
                                 ha_zstd_in_buffer *input);
#endif
