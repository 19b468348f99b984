// The Cookie header (http::Request::cookie), as the session and language cookies are read.
#include "fuzz.hpp"
#include "http/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vg;
    http::Request req;
    req.headers["cookie"] = fuzz::text(data, size);
    for (const char* name : {"vg_lang", "vg_csrf", "__Host-vg_csrf", "", "="}) {
        auto v = req.cookie(name);
        fuzz::check(v.size() <= size, "a cookie value is part of the header");
        fuzz::check(v.find(';') == std::string::npos, "a value stops at ';'");
    }
    return 0;
}
