// CRoaring: the system CRoaring C library (Debian libroaring-dev 0.2.66), imported as-is.
// Debian ships no pkg-config file, so the module map links "roaring" directly.
#include <roaring/roaring.h>
