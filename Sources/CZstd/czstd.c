#include "czstd.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    size_t (*compress_bound)(size_t);
    void *(*create_cctx)(void);
    size_t (*free_cctx)(void *);
    size_t (*compress_cctx)(void *, void *, size_t, const void *, size_t, int);
    size_t (*decompress)(void *, size_t, const void *, size_t);
    unsigned (*is_error)(size_t);
    const char *(*error_name)(size_t);
    void *(*create_dstream)(void);
    size_t (*init_dstream)(void *);
    size_t (*free_dstream)(void *);
    size_t (*decompress_stream)(void *, ha_zstd_out_buffer *, ha_zstd_in_buffer *);
} zstd;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_failure[768];
static int loaded;

static const char *const library_names[] = {
#if defined(__APPLE__)
    "libzstd.1.dylib", "/opt/homebrew/lib/libzstd.1.dylib", "/usr/local/lib/libzstd.1.dylib",
#else
    "libzstd.so.1", "libzstd.so",
#endif
};

static int resolve(void *library, void **slot, const char *symbol) {
    *slot = dlsym(library, symbol);
    if (*slot != NULL) return 1;
    snprintf(load_failure, sizeof load_failure, "the zstd library has no %s (zstd 1.3 or newer is needed)", symbol);
    return 0;
}

static void load(void) {
    void *library = NULL;
    const char *last_error = "not found";
    for (size_t i = 0; i < sizeof library_names / sizeof library_names[0] && library == NULL; i++) {
        library = dlopen(library_names[i], RTLD_NOW | RTLD_LOCAL);
        if (library == NULL) {
            const char *error = dlerror();
            if (error != NULL) last_error = error;
        }
    }
    if (library == NULL) {
        snprintf(load_failure, sizeof load_failure, "cannot load the zstd library (%s): %s",
                 library_names[0], last_error);
        return;
    }
    int ok = resolve(library, (void **)&zstd.compress_bound, "ZSTD_compressBound")
        && resolve(library, (void **)&zstd.create_cctx, "ZSTD_createCCtx")
        && resolve(library, (void **)&zstd.free_cctx, "ZSTD_freeCCtx")
        && resolve(library, (void **)&zstd.compress_cctx, "ZSTD_compressCCtx")
        && resolve(library, (void **)&zstd.decompress, "ZSTD_decompress")
        && resolve(library, (void **)&zstd.is_error, "ZSTD_isError")
        && resolve(library, (void **)&zstd.error_name, "ZSTD_getErrorName")
        && resolve(library, (void **)&zstd.create_dstream, "ZSTD_createDStream")
        && resolve(library, (void **)&zstd.init_dstream, "ZSTD_initDStream")
        && resolve(library, (void **)&zstd.free_dstream, "ZSTD_freeDStream")
        && resolve(library, (void **)&zstd.decompress_stream, "ZSTD_decompressStream");
    loaded = ok;
}

const char *ha_zstd_load(void) {
    pthread_once(&load_once, load);
    return loaded ? NULL : load_failure;
}

size_t ha_zstd_compress_bound(size_t size) { return zstd.compress_bound(size); }
ha_zstd_cctx *ha_zstd_create_cctx(void) { return (ha_zstd_cctx *)zstd.create_cctx(); }
void ha_zstd_free_cctx(ha_zstd_cctx *context) { zstd.free_cctx(context); }
size_t ha_zstd_compress_cctx(ha_zstd_cctx *context, void *dst, size_t capacity,
                             const void *src, size_t size, int level) {
    return zstd.compress_cctx(context, dst, capacity, src, size, level);
}
size_t ha_zstd_decompress(void *dst, size_t capacity, const void *src, size_t size) {
    return zstd.decompress(dst, capacity, src, size);
}
unsigned ha_zstd_is_error(size_t code) { return zstd.is_error(code); }
const char *ha_zstd_error_name(size_t code) { return zstd.error_name(code); }
ha_zstd_dstream *ha_zstd_create_dstream(void) {
    void *stream = zstd.create_dstream();
    if (stream != NULL) zstd.init_dstream(stream);
    return (ha_zstd_dstream *)stream;
}
void ha_zstd_free_dstream(ha_zstd_dstream *stream) { zstd.free_dstream(stream); }
size_t ha_zstd_decompress_stream(ha_zstd_dstream *stream, ha_zstd_out_buffer *output,
                                 ha_zstd_in_buffer *input) {
    return zstd.decompress_stream(stream, output, input);
}
