#include "http/origin.hpp"

#include <cctype>
#include <string_view>
#include <utility>

namespace vg::http {

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string origin_of(const std::string& url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return lower(url);
    auto path = url.find('/', scheme_end + 3);
    auto out = lower(url.substr(0, path));
    // The default port is implied: browsers leave it out of Origin.
    for (auto [scheme, port] : {std::pair<std::string_view, std::string_view>{"https://", ":443"},
                                std::pair<std::string_view, std::string_view>{"http://", ":80"}})
        if (out.starts_with(scheme) && out.ends_with(port)) out.resize(out.size() - port.size());
    return out;
}

bool same_origin(const Request& req, const std::string& public_url) {
    if (auto site = req.header("sec-fetch-site")) {
        auto v = lower(*site);
        if (v != "same-origin" && v != "none") return false;
    }
    auto origin = req.header("origin");
    // "null": what browsers send for our own forms under Referrer-Policy: no-referrer (and
    // from sandboxed frames, which Sec-Fetch-Site: cross-site above refuses): not a verdict.
    if (!origin || *origin == "null") return true;
    std::string ours;
    if (!public_url.empty()) {
        ours = origin_of(public_url);
    } else {
        auto host = req.header("host");
        if (!host || host->empty()) return false;
        ours = "http://" + lower(*host);
    }
    return lower(*origin) == ours;
}

}  // namespace vg::http
