// Placeholders of the texts an administrator writes for citizens' messages (admin-rest,
// issue 12): "{motif}", "{date}", "{time}", "{site}", "{organisation}". Pure text work.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace vg::core {

// The placeholders a message text may hold, in the order forms list them.
const std::vector<std::string>& known_placeholders();

// The placeholders of `text` that are not known ("{nom}" -> "nom"), each once, in order.
// A placeholder is "{" + lower-case letters or '_' + "}"; any other brace is plain text.
std::vector<std::string> unknown_placeholders(const std::string& text);

// `text` with each known placeholder replaced by its value (missing values: empty).
std::string fill_placeholders(const std::string& text,
                              const std::map<std::string, std::string>& values);

}  // namespace vg::core
