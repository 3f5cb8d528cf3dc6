// The system LMDB header, wrapped so Swift sees it as the `CLMDB` module.
#include <lmdb.h>
