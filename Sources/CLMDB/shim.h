// CLMDB: the system LMDB C library (Debian liblmdb-dev), imported as-is.
#include <lmdb.h>
