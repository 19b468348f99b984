// multipart/form-data bodies (http/multipart): arbitrary bytes as the body, and as the
// Content-Type's boundary, never crash, never yield more parts than allowed, and each part's
// data is a piece of the body.
#include "http/multipart.hpp"

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vg;
    auto s = fuzz::text(data, size);
    // The first line (if any) is the boundary, the rest the body.
    auto eol = s.find('\n');
    std::string boundary = eol == std::string::npos ? "b" : s.substr(0, eol);
    std::string body = eol == std::string::npos ? s : s.substr(eol + 1);
    for (auto type : {"multipart/form-data; boundary=" + boundary,
                      "multipart/form-data; boundary=\"" + boundary + "\"",
                      std::string("multipart/form-data; boundary=b")}) {
        auto parts = http::parse_multipart(type, body, 4);
        if (!parts) continue;
        fuzz::check(parts->size() <= 4, "at most max_parts parts");
        for (auto& p : *parts) {
            fuzz::check(p.data.size() <= body.size(), "a part is no larger than the body");
            fuzz::check(body.find(p.data) != std::string::npos, "a part's data is in the body");
        }
    }
    return 0;
}
