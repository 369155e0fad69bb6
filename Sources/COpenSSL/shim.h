#ifndef HARNESS_AUDIT_COPENSSL_SHIM_H
#define HARNESS_AUDIT_COPENSSL_SHIM_H
#include <openssl/evp.h>
#endif
