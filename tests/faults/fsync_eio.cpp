// Fault injection for the tests, loaded with LD_PRELOAD (built by CMake as
// libvg_fault_fsync.so, never linked into the server): fsync() and fdatasync() of a file
// whose path ends with $VG_FAULT_FSYNC_SUFFIX fail with EIO while the file
// $VG_FAULT_FSYNC_TRIGGER exists, as a failing disk would make them fail. Everything else
// goes to the C library. Production code has no test switch for this.
#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using SyncFn = int (*)(int);

bool should_fail(int fd) {
    const char* suffix = std::getenv("VG_FAULT_FSYNC_SUFFIX");
    const char* trigger = std::getenv("VG_FAULT_FSYNC_TRIGGER");
    if (!suffix || !trigger || ::access(trigger, F_OK) != 0) return false;
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char path[PATH_MAX];
    auto n = ::readlink(link, path, sizeof path - 1);
    if (n < 0) return false;
    path[n] = '\0';
    auto len = std::strlen(suffix);
    return std::size_t(n) >= len && std::strcmp(path + n - len, suffix) == 0;
}

int call(const char* name, int fd) {
    if (should_fail(fd)) {
        errno = EIO;
        return -1;
    }
    auto real = reinterpret_cast<SyncFn>(::dlsym(RTLD_NEXT, name));
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    return real(fd);
}

}  // namespace

extern "C" int fsync(int fd) {
    return call("fsync", fd);
}

extern "C" int fdatasync(int fd) {
    return call("fdatasync", fd);
}
