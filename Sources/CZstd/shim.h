#ifndef HARNESS_AUDIT_CZSTD_SHIM_H
#define HARNESS_AUDIT_CZSTD_SHIM_H
#include <zstd.h>
#endif
