#include "http/multipart.hpp"

#include <cctype>
#include <string_view>

namespace vg::http {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The value of `key` (key="value" or key=value) in a header's parameters; nullopt if absent.
std::optional<std::string> param(std::string_view header, std::string_view key) {
    auto low = lower(header);
    std::size_t pos = 0;
    while ((pos = low.find(key, pos)) != std::string::npos) {
        bool starts = pos == 0 || low[pos - 1] == ';' || low[pos - 1] == ' ';
        auto eq = pos + key.size();
        if (!starts || eq >= low.size() || low[eq] != '=') {
            pos = eq;
            continue;
        }
        auto v = header.substr(eq + 1);
        if (!v.empty() && v.front() == '"') {
            auto end = v.find('"', 1);
            if (end == std::string_view::npos) return std::nullopt;
            return std::string(v.substr(1, end - 1));
        }
        return std::string(v.substr(0, v.find(';')));
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<FormPart>> parse_multipart(const std::string& content_type,
                                                     const std::string& body,
                                                     std::size_t max_parts) {
    if (lower(content_type).rfind("multipart/form-data", 0) != 0) return std::nullopt;
    auto boundary = param(content_type, "boundary");
    if (!boundary || boundary->empty() || boundary->size() > 70) return std::nullopt;
    const std::string delimiter = "--" + *boundary;
    std::string_view rest(body);
    // The first delimiter opens the body (a preamble before it is ignored).
    auto start = rest.find(delimiter);
    if (start == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(start + delimiter.size());
    std::vector<FormPart> parts;
    const std::string next = "\r\n" + delimiter;
    for (;;) {
        if (rest.substr(0, 2) == "--") return parts;  // the closing delimiter
        if (rest.substr(0, 2) != "\r\n" || parts.size() >= max_parts) return std::nullopt;
        rest.remove_prefix(2);
        auto headers_end = rest.find("\r\n\r\n");
        if (headers_end == std::string_view::npos || headers_end > 2048) return std::nullopt;
        FormPart part;
        auto headers = rest.substr(0, headers_end);
        bool named = false;
        while (!headers.empty()) {
            auto eol = headers.find("\r\n");
            auto line = headers.substr(0, eol);
            headers.remove_prefix(eol == std::string_view::npos ? headers.size() : eol + 2);
            auto colon = line.find(':');
            if (colon == std::string_view::npos) return std::nullopt;
            auto name = lower(line.substr(0, colon));
            auto value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            if (name == "content-disposition") {
                if (lower(value).rfind("form-data", 0) != 0) return std::nullopt;
                auto n = param(value, "name");
                if (!n) return std::nullopt;
                part.name = *n;
                part.filename = param(value, "filename").value_or("");
                named = true;
            } else if (name == "content-type") {
                part.content_type = std::string(value);
            }
        }
        if (!named) return std::nullopt;
        rest.remove_prefix(headers_end + 4);
        auto end = rest.find(next);
        if (end == std::string_view::npos) return std::nullopt;
        part.data = std::string(rest.substr(0, end));
        parts.push_back(std::move(part));
        rest.remove_prefix(end + next.size());
    }
}

}  // namespace vg::http
