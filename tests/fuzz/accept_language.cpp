// Language negotiation: ?lang=, the vg_lang cookie and Accept-Language (http/message).
#include <algorithm>

#include "fuzz.hpp"
#include "http/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace vg;
    static const std::vector<std::vector<std::string>> allowed_sets = {
        {"fr", "en", "nl", "de"}, {"nl", "fr"}, {"de"}, {}};
    auto s = fuzz::text(data, size);
    // The first byte picks where the rest goes: header, cookie or query.
    http::Request req;
    auto rest = s.empty() ? s : s.substr(1);
    switch (s.empty() ? 0 : s[0] % 3) {
        case 0:
            req.headers["accept-language"] = rest;
            break;
        case 1:
            req.headers["cookie"] = "vg_lang=" + rest;
            break;
        default:
            req.query = http::parse_urlencoded(rest);
            break;
    }
    for (auto& allowed : allowed_sets) {
        auto lang = http::negotiate_language(req, allowed);
        if (allowed.empty())
            fuzz::check(lang == "fr", "French when nothing is allowed");
        else
            fuzz::check(std::find(allowed.begin(), allowed.end(), lang) != allowed.end(),
                        "always an allowed language");
    }
    return 0;
}
