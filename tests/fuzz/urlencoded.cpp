// Query strings and form bodies (http/message: parse_urlencoded, url_decode, url_encode).
#include "fuzz.hpp"
#include "http/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vg;
    auto s = fuzz::text(data, size);
    auto params = http::parse_urlencoded(s);
    for (auto& [k, v] : params) fuzz::check(k.size() + v.size() <= s.size(), "no growth");
    (void)http::url_decode(s, false);
    // Whatever we encode decodes to itself, as a value and as a path.
    fuzz::check(http::url_decode(http::url_encode(s), true) == s, "url_encode round trip");
    fuzz::check(http::url_decode(http::url_encode_path(s), false) == s,
                "url_encode_path round trip");
    auto once = http::parse_urlencoded("k=" + http::url_encode(s));
    fuzz::check(once.size() == 1 && once.begin()->second == s, "a field holds any value");
    fuzz::check(http::html_escape(s).find('<') == std::string::npos, "html_escape");
    return 0;
}
