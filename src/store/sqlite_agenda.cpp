// SQLite queries of the agent's agenda: appointments of a period, the console language,
// calendar feeds and teams (migration 11).
#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

std::vector<Appointment> SqliteSession::agenda(Id org, const std::vector<Id>& agents, Instant from,
                                               Instant to, bool held) {
    std::vector<Appointment> out;
    if (agents.empty()) return out;
    // Two parts, each matching a partial index by agent and start (appointments_live,
    // appointments_held); "+organisation_id" keeps the organisation a filter, not the index
    // (appointments_org_time would read every appointment of the organisation in the range).
    auto s = c_.prepare("SELECT " VG_APPOINTMENT_COLUMNS
                        " FROM appointments WHERE agent_id " VG_SQL_IN_IDS
                        " AND starts_at>=? AND starts_at<? AND status IN ('booked','confirmed') "
                        "AND +organisation_id=? UNION ALL SELECT " VG_APPOINTMENT_COLUMNS
                        " FROM appointments WHERE ? = 1 AND agent_id " VG_SQL_IN_IDS
                        " AND starts_at>=? AND starts_at<? AND status IN ('honoured','no_show') "
                        "AND +organisation_id=? ORDER BY 7, 1");
    auto ids = ids_to_json(agents);
    s.bind(1, ids).bind(2, from).bind(3, to).bind(4, org);
    s.bind(5, held ? 1 : 0).bind(6, ids).bind(7, from).bind(8, to).bind(9, org);
    while (s.step()) out.push_back(read_appointment(s));
    return out;
}

void SqliteSession::set_account_language(Id account, const std::optional<std::string>& language) {
    auto s = c_.prepare("UPDATE accounts SET language=? WHERE id=?");
    s.bind(1, language).bind(2, account);
    s.run();
}

namespace {

#define VG_FEED_COLUMNS "id, account_id, organisation_id, token_hash, created_at, revoked_at"

CalendarFeed read_feed(const Stmt& s) {
    CalendarFeed f;
    f.id = s.i64(0);
    f.account_id = s.i64(1);
    f.organisation_id = s.i64(2);
    f.token_hash = s.text(3);
    f.created_at = s.i64(4);
    f.revoked_at = s.opt_i64(5);
    return f;
}

}  // namespace

std::optional<CalendarFeed> SqliteSession::calendar_feed(Id account, Id org) {
    auto s = c_.prepare("SELECT " VG_FEED_COLUMNS
                        " FROM calendar_feeds WHERE account_id=? AND organisation_id=? AND "
                        "revoked_at IS NULL ORDER BY id DESC LIMIT 1");
    s.bind(1, account).bind(2, org);
    if (!s.step()) return std::nullopt;
    return read_feed(s);
}

std::optional<CalendarFeed> SqliteSession::calendar_feed_by_hash(const std::string& token_hash) {
    auto s = c_.prepare("SELECT " VG_FEED_COLUMNS
                        " FROM calendar_feeds WHERE token_hash=? AND revoked_at IS NULL");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    return read_feed(s);
}

Id SqliteSession::insert_calendar_feed(const CalendarFeed& f) {
    auto s = c_.prepare(
        "INSERT INTO calendar_feeds (account_id, organisation_id, token_hash, created_at) "
        "VALUES (?,?,?,?) RETURNING id");
    s.bind(1, f.account_id).bind(2, f.organisation_id).bind(3, f.token_hash).bind(4, now());
    s.step();
    Id id = s.i64(0);
    s.run();
    return id;
}

int SqliteSession::revoke_calendar_feeds(Id account, Id org, Instant at) {
    auto s = c_.prepare(
        "UPDATE calendar_feeds SET revoked_at=? WHERE account_id=? AND organisation_id=? AND "
        "revoked_at IS NULL");
    s.bind(1, at).bind(2, account).bind(3, org);
    s.run();
    return c_.changes();
}

namespace {

// Agents and supervisors of the team `t` (ids ascending).
void read_members(Connection& c, Team& t) {
    auto a = c.prepare("SELECT agent_id FROM team_agents WHERE team_id=? ORDER BY agent_id");
    a.bind(1, t.id);
    while (a.step()) t.agent_ids.push_back(a.i64(0));
    auto s =
        c.prepare("SELECT account_id FROM team_supervisors WHERE team_id=? ORDER BY account_id");
    s.bind(1, t.id);
    while (s.step()) t.supervisor_ids.push_back(s.i64(0));
}

}  // namespace

std::vector<Team> SqliteSession::teams(Id org) {
    std::vector<Team> out;
    {
        auto s = c_.prepare(
            "SELECT id, organisation_id, name FROM teams WHERE organisation_id=? ORDER BY name, "
            "id");
        s.bind(1, org);
        while (s.step()) out.push_back(Team{s.i64(0), s.i64(1), s.text(2), {}, {}});
    }
    for (auto& t : out) read_members(c_, t);
    return out;
}

std::optional<Team> SqliteSession::team(Id org, Id id) {
    std::optional<Team> t;
    {
        auto s = c_.prepare(
            "SELECT id, organisation_id, name FROM teams WHERE organisation_id=? AND id=?");
        s.bind(1, org).bind(2, id);
        if (!s.step()) return std::nullopt;
        t = Team{s.i64(0), s.i64(1), s.text(2), {}, {}};
        s.run();
    }
    read_members(c_, *t);
    return t;
}

std::optional<Id> SqliteSession::insert_team(Id org, const std::string& name) {
    auto s = c_.prepare(
        "INSERT INTO teams (organisation_id, name, created_at) VALUES (?,?,?) "
        "ON CONFLICT (organisation_id, name) DO NOTHING RETURNING id");
    s.bind(1, org).bind(2, name).bind(3, now());
    if (!s.step()) return std::nullopt;
    Id id = s.i64(0);
    s.run();
    return id;
}

bool SqliteSession::rename_team(Id org, Id id, const std::string& name) {
    {
        auto taken = c_.prepare("SELECT 1 FROM teams WHERE organisation_id=? AND name=? AND id<>?");
        taken.bind(1, org).bind(2, name).bind(3, id);
        if (taken.step()) {
            taken.run();
            return false;
        }
    }
    auto s = c_.prepare("UPDATE teams SET name=? WHERE organisation_id=? AND id=?");
    s.bind(1, name).bind(2, org).bind(3, id);
    s.run();
    return c_.changes() > 0;
}

void SqliteSession::delete_team(Id org, Id id) {
    auto owned = c_.prepare("SELECT 1 FROM teams WHERE organisation_id=? AND id=?");
    owned.bind(1, org).bind(2, id);
    if (!owned.step()) return;
    owned.run();
    auto a = c_.prepare("DELETE FROM team_agents WHERE team_id=?");
    a.bind(1, id);
    a.run();
    auto s = c_.prepare("DELETE FROM team_supervisors WHERE team_id=?");
    s.bind(1, id);
    s.run();
    auto t = c_.prepare("DELETE FROM teams WHERE organisation_id=? AND id=?");
    t.bind(1, org).bind(2, id);
    t.run();
}

bool SqliteSession::add_team_agent(Id team, Id agent) {
    auto s = c_.prepare(
        "INSERT INTO team_agents (team_id, agent_id) VALUES (?,?) ON CONFLICT DO NOTHING");
    s.bind(1, team).bind(2, agent);
    s.run();
    return c_.changes() > 0;
}

bool SqliteSession::remove_team_agent(Id team, Id agent) {
    auto s = c_.prepare("DELETE FROM team_agents WHERE team_id=? AND agent_id=?");
    s.bind(1, team).bind(2, agent);
    s.run();
    return c_.changes() > 0;
}

bool SqliteSession::add_team_supervisor(Id team, Id account) {
    auto s = c_.prepare(
        "INSERT INTO team_supervisors (team_id, account_id) VALUES (?,?) ON CONFLICT DO NOTHING");
    s.bind(1, team).bind(2, account);
    s.run();
    return c_.changes() > 0;
}

bool SqliteSession::remove_team_supervisor(Id team, Id account) {
    auto s = c_.prepare("DELETE FROM team_supervisors WHERE team_id=? AND account_id=?");
    s.bind(1, team).bind(2, account);
    s.run();
    return c_.changes() > 0;
}

}  // namespace vg::store::sqlite
