// SQLite queries: The installation: what identifies this database (installation id, the id
// of the secret key that sealed its queued links).
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

std::optional<std::string> SqliteSession::installation_value(const std::string& name) {
    auto s = c_.prepare("SELECT value FROM installation WHERE name=?");
    s.bind(1, name);
    if (!s.step()) return std::nullopt;
    return s.text(0);
}

std::string SqliteSession::remember_installation_value(const std::string& name,
                                                       const std::string& value) {
    auto s = c_.prepare(
        "INSERT INTO installation (name, value) VALUES (?,?) ON CONFLICT (name) DO NOTHING");
    s.bind(1, name).bind(2, value);
    s.run();
    return installation_value(name).value_or(value);
}

}  // namespace vg::store::sqlite
