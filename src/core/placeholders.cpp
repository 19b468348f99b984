#include "core/placeholders.hpp"

#include <algorithm>

namespace vg::core {

namespace {

// Calls f(start, end, name) for each "{name}" of text; returns nothing.
template <class F>
void each_placeholder(const std::string& text, F f) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '{') continue;
        std::size_t j = i + 1;
        while (j < text.size() && ((text[j] >= 'a' && text[j] <= 'z') || text[j] == '_')) ++j;
        if (j > i + 1 && j < text.size() && text[j] == '}') {
            f(i, j + 1, text.substr(i + 1, j - i - 1));
            i = j;
        }
    }
}

}  // namespace

const std::vector<std::string>& known_placeholders() {
    static const std::vector<std::string> all{"motif", "date", "time", "site", "organisation"};
    return all;
}

std::vector<std::string> unknown_placeholders(const std::string& text) {
    std::vector<std::string> out;
    auto& known = known_placeholders();
    each_placeholder(text, [&](std::size_t, std::size_t, const std::string& name) {
        if (std::find(known.begin(), known.end(), name) == known.end() &&
            std::find(out.begin(), out.end(), name) == out.end())
            out.push_back(name);
    });
    return out;
}

std::string fill_placeholders(const std::string& text,
                              const std::map<std::string, std::string>& values) {
    std::string out;
    std::size_t done = 0;
    auto& known = known_placeholders();
    each_placeholder(text, [&](std::size_t start, std::size_t end, const std::string& name) {
        if (std::find(known.begin(), known.end(), name) == known.end()) return;
        out.append(text, done, start - done);
        if (auto it = values.find(name); it != values.end()) out += it->second;
        done = end;
    });
    out.append(text, done, std::string::npos);
    return out;
}

}  // namespace vg::core
