// SQLite implementation of the Store: WAL, a pool of connections, one writer at a time
// (writers of this process share commits, see write()).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "store/migrations.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace vg::store {

using nlohmann::json;
using sqlite::Connection;
using sqlite::Stmt;

namespace {

Instant now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string ids_to_json(const std::vector<Id>& ids) {
    return json(ids).dump();
}
std::vector<Id> ids_from_json(const std::string& s) {
    auto j = json::parse(s, nullptr, false);
    std::vector<Id> out;
    if (j.is_array())
        for (auto& v : j)
            if (v.is_number_integer()) out.push_back(v.get<Id>());
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}
std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

core::WeeklyRule read_rule(const Stmt& s, int col) {
    core::WeeklyRule r;
    r.weekdays = std::uint8_t(s.i32(col));
    r.start_minute = s.i32(col + 1);
    r.end_minute = s.i32(col + 2);
    r.valid_from = core::LocalDay(s.i64(col + 3));
    if (!s.is_null(col + 4)) r.valid_until = core::LocalDay(s.i64(col + 4));
    r.every_n_weeks = s.i32(col + 5);
    return r;
}
void bind_rule(Stmt& s, int col, const core::WeeklyRule& r) {
    s.bind(col, int(r.weekdays))
        .bind(col + 1, r.start_minute)
        .bind(col + 2, r.end_minute)
        .bind(col + 3, std::int64_t(r.valid_from));
    if (r.valid_until)
        s.bind(col + 4, std::int64_t(*r.valid_until));
    else
        s.bind_null(col + 4);
    s.bind(col + 5, r.every_n_weeks);
}

#define VG_ORG_SELECT                                                                     \
    "SELECT id, slug, name, languages, default_time_zone, holiday_region, brand_colour, " \
    "logo_url, sender_email, reply_to, mediation_contact, sms_gateway FROM organisations "

constexpr const char* kAppointmentColumns =
    "id, organisation_id, motif_id, site_id, agent_id, channel, starts_at, ends_at, status, "
    "citizen_first_name, citizen_last_name, citizen_email, citizen_phone, citizen_language, "
    "beneficiary_number, needs, terms_version, booked_by, booked_by_agent_id, "
    "booked_by_partner_site_id, token_hash, token_expires_at, cancel_reason, sequence, "
    "created_at, updated_at";

Appointment read_appointment(const Stmt& s) {
    Appointment a;
    a.id = s.i64(0);
    a.organisation_id = s.i64(1);
    a.motif_id = s.i64(2);
    a.site_id = s.i64(3);
    a.agent_id = s.i64(4);
    a.channel = core::parse_channel(s.text(5)).value_or(core::Channel::video);
    a.starts_at = s.i64(6);
    a.ends_at = s.i64(7);
    a.status = parse_appointment_status(s.text(8)).value_or(AppointmentStatus::booked);
    a.citizen.first_name = s.text(9);
    a.citizen.last_name = s.text(10);
    a.citizen.email = s.text(11);
    a.citizen.phone = s.text(12);
    a.citizen.language = s.text(13);
    a.citizen.beneficiary_number = s.text(14);
    a.citizen.needs = s.text(15);
    a.terms_version = s.i32(16);
    a.booked_by.kind = s.text(17);
    a.booked_by.agent_id = s.opt_i64(18);
    a.booked_by.partner_site_id = s.opt_i64(19);
    a.token_hash = s.text(20);
    a.token_expires_at = s.i64(21);
    a.cancel_reason = s.text(22);
    a.sequence = s.i32(23);
    a.created_at = s.i64(24);
    a.updated_at = s.i64(25);
    return a;
}

// Columns read by read_outbox(), in its order.
constexpr const char* kOutboxColumns =
    "id, organisation_id, appointment_id, idempotency_key, kind, channel, payload, status, "
    "attempts, due_at, next_attempt_at, last_error, created_at";

OutboxRow read_outbox(const Stmt& s) {
    OutboxRow r;
    r.id = s.i64(0);
    r.organisation_id = s.i64(1);
    r.appointment_id = s.opt_i64(2);
    r.idempotency_key = s.text(3);
    r.kind = s.text(4);
    r.channel = s.text(5);
    r.payload = s.text(6);
    r.status = s.text(7);
    r.attempts = s.i32(8);
    r.due_at = s.i64(9);
    r.next_attempt_at = s.i64(10);
    r.last_error = s.text(11);
    r.created_at = s.i64(12);
    return r;
}

class SqliteSession final : public Session {
  public:
    explicit SqliteSession(Connection& c) : c_(c) {}

    std::optional<Organisation> organisation_by_slug(const std::string& slug) override {
        auto s = c_.prepare(VG_ORG_SELECT "WHERE slug=?");
        s.bind(1, slug);
        if (!s.step()) return std::nullopt;
        return read_org(s);
    }
    std::optional<Organisation> organisation_by_id(Id id) override {
        auto s = c_.prepare(VG_ORG_SELECT "WHERE id=?");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return read_org(s);
    }
    std::vector<Organisation> organisations() override {
        auto s = c_.prepare(VG_ORG_SELECT "ORDER BY id");
        std::vector<Organisation> out;
        while (s.step()) out.push_back(read_org(s));
        return out;
    }

    std::optional<Terms> current_terms(Id org) override {
        auto s = c_.prepare(
            "SELECT id, organisation_id, version, text, conduct_rules, published_at FROM terms "
            "WHERE organisation_id=? ORDER BY version DESC LIMIT 1");
        s.bind(1, org);
        if (!s.step()) return std::nullopt;
        Terms t;
        t.id = s.i64(0);
        t.organisation_id = s.i64(1);
        t.version = s.i32(2);
        t.text = LocalText::from_json(s.text(3));
        t.conduct_rules = LocalText::from_json(s.text(4));
        t.published_at = s.i64(5);
        return t;
    }

    std::vector<Site> sites(Id org) override {
        auto s = c_.prepare(
            "SELECT id, organisation_id, name, address, postal_code, city, time_zone, "
            "access_notes, is_partner, holiday_region FROM sites WHERE organisation_id=? "
            "ORDER BY is_partner, name");
        s.bind(1, org);
        std::vector<Site> out;
        while (s.step()) {
            Site x;
            x.id = s.i64(0);
            x.organisation_id = s.i64(1);
            x.name = s.text(2);
            x.address = s.text(3);
            x.postal_code = s.text(4);
            x.city = s.text(5);
            x.time_zone = s.text(6);
            x.access_notes = LocalText::from_json(s.text(7));
            x.is_partner = s.i32(8) != 0;
            x.holiday_region = s.text(9);
            out.push_back(std::move(x));
        }
        return out;
    }

    std::vector<Motif> motifs(Id org) override {
        auto s = c_.prepare(
            "SELECT id, organisation_id, code, name, theme, documents, duration_minutes, "
            "buffer_minutes, min_lead_minutes, horizon_days, channels, is_public, "
            "asks_beneficiary_number, reminder_minutes, position FROM motifs "
            "WHERE organisation_id=? ORDER BY position, id");
        s.bind(1, org);
        std::vector<Motif> out;
        while (s.step()) {
            Motif m;
            m.id = s.i64(0);
            m.organisation_id = s.i64(1);
            m.code = s.text(2);
            m.name = LocalText::from_json(s.text(3));
            m.theme = LocalText::from_json(s.text(4));
            m.documents = LocalText::from_json(s.text(5));
            m.rules.id = m.id;
            m.rules.duration_minutes = s.i32(6);
            m.rules.buffer_minutes = s.i32(7);
            m.rules.min_lead_minutes = s.i32(8);
            m.rules.horizon_days = s.i32(9);
            m.rules.channels = std::uint8_t(s.i32(10));
            m.is_public = s.i32(11) != 0;
            m.asks_beneficiary_number = s.i32(12) != 0;
            m.reminder_minutes.clear();
            auto j = json::parse(s.text(13), nullptr, false);
            if (j.is_array())
                for (auto& v : j)
                    if (v.is_number_integer()) m.reminder_minutes.push_back(v.get<int>());
            m.position = s.i32(14);
            out.push_back(std::move(m));
        }
        return out;
    }

    std::vector<Agent> agents(Id org) override {
        auto s = c_.prepare(
            "SELECT id, organisation_id, display_name, email, notify_mode, active FROM agents "
            "WHERE organisation_id=? ORDER BY id");
        s.bind(1, org);
        std::vector<Agent> out;
        while (s.step()) {
            Agent a;
            a.id = s.i64(0);
            a.organisation_id = s.i64(1);
            a.display_name = s.text(2);
            a.email = s.text(3);
            a.notify_mode = s.text(4);
            a.active = s.i32(5) != 0;
            out.push_back(std::move(a));
        }
        return out;
    }

    std::optional<Agent> agent(Id org, Id id) override {
        auto s = c_.prepare(
            "SELECT id, organisation_id, display_name, email, notify_mode, active FROM agents "
            "WHERE organisation_id=? AND id=?");
        s.bind(1, org).bind(2, id);
        if (!s.step()) return std::nullopt;
        return Agent{s.i64(0), s.i64(1), s.text(2), s.text(3), s.text(4), s.i32(5) != 0};
    }

    AvailabilityData availability_data(Id org, Id motif, Instant from, Instant to,
                                       bool with_busy) override {
        AvailabilityData d;
        std::vector<Id> agents;
        {
            auto s = c_.prepare(
                "SELECT p.id, p.agent_id, p.site_id, p.weekdays, p.start_minute, p.end_minute, "
                "p.valid_from, p.valid_until, p.every_n_weeks, p.channels, p.motif_ids "
                "FROM opening_plans p JOIN agents a ON a.id = p.agent_id "
                "WHERE p.organisation_id=? AND a.active=1");
            s.bind(1, org);
            while (s.step()) {
                core::OpeningPlan p;
                p.id = s.i64(0);
                p.agent_id = s.i64(1);
                p.site_id = s.i64(2);
                p.rule = read_rule(s, 3);
                p.channels = std::uint8_t(s.i32(9));
                p.motif_ids = ids_from_json(s.text(10));
                if (!p.motif_ids.empty() &&
                    std::find(p.motif_ids.begin(), p.motif_ids.end(), motif) == p.motif_ids.end())
                    continue;
                agents.push_back(p.agent_id);
                d.plans.push_back(std::move(p));
            }
        }
        std::sort(agents.begin(), agents.end());
        agents.erase(std::unique(agents.begin(), agents.end()), agents.end());
        auto wanted = [&](Id a) { return std::binary_search(agents.begin(), agents.end(), a); };
        {
            auto s = c_.prepare(
                "SELECT agent_id, starts_at, ends_at FROM absences "
                "WHERE organisation_id=? AND ends_at > ? AND starts_at < ?");
            s.bind(1, org).bind(2, from).bind(3, to);
            while (s.step())
                if (wanted(s.i64(0))) d.absences.push_back({s.i64(0), {s.i64(1), s.i64(2)}});
        }
        {
            auto s = c_.prepare(
                "SELECT agent_id, weekdays, start_minute, end_minute, valid_from, valid_until, "
                "every_n_weeks FROM recurring_absences WHERE organisation_id=?");
            s.bind(1, org);
            while (s.step())
                if (wanted(s.i64(0))) d.recurring_absences.push_back({s.i64(0), read_rule(s, 1)});
        }
        if (with_busy) d.busy = busy(agents, from, to, 86400);
        d.agents = std::move(agents);
        return d;
    }

    std::vector<AvailabilityData::Busy> busy(const std::vector<Id>& agents, Instant from,
                                             Instant to, Instant longest) override {
        // One range of the partial covering index per agent (only live rows, no table
        // lookup), starting `longest` before `from`.
        auto s = c_.prepare(
            "SELECT agent_id, starts_at, ends_at FROM appointments "
            "WHERE agent_id IN (SELECT value FROM json_each(?)) "
            "AND status IN ('booked','confirmed') AND starts_at < ? AND starts_at > ?");
        s.bind(1, ids_to_json(agents)).bind(2, to).bind(3, from - longest - 1);
        std::vector<AvailabilityData::Busy> out;
        while (s.step())
            if (s.i64(2) > from) out.push_back({s.i64(0), {s.i64(1), s.i64(2)}});
        return out;
    }

    std::optional<Appointment> appointment_by_token_hash(const std::string& hash) override {
        static const std::string sql =
            std::string("SELECT ") + kAppointmentColumns + " FROM appointments WHERE token_hash=?";
        auto s = c_.prepare(sql.c_str());
        s.bind(1, hash);
        if (!s.step()) return std::nullopt;
        return read_appointment(s);
    }
    std::optional<Appointment> appointment_by_id(Id org, Id id) override {
        static const std::string sql = std::string("SELECT ") + kAppointmentColumns +
                                       " FROM appointments WHERE organisation_id=? AND id=?";
        auto s = c_.prepare(sql.c_str());
        s.bind(1, org).bind(2, id);
        if (!s.step()) return std::nullopt;
        return read_appointment(s);
    }

    Id insert_appointment(const Appointment& a) override {
        auto s = c_.prepare(
            "INSERT INTO appointments (organisation_id, motif_id, site_id, agent_id, channel, "
            "starts_at, ends_at, status, citizen_first_name, citizen_last_name, citizen_email, "
            "citizen_phone, citizen_language, beneficiary_number, needs, terms_version, "
            "booked_by, booked_by_agent_id, booked_by_partner_site_id, token_hash, "
            "token_expires_at, cancel_reason, sequence, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        bind_appointment(s, a);
        s.run();
        return c_.last_insert_id();
    }

    void update_appointment(const Appointment& a) override {
        auto s = c_.prepare(
            "UPDATE appointments SET organisation_id=?, motif_id=?, site_id=?, agent_id=?, "
            "channel=?, starts_at=?, ends_at=?, status=?, citizen_first_name=?, "
            "citizen_last_name=?, citizen_email=?, citizen_phone=?, citizen_language=?, "
            "beneficiary_number=?, needs=?, terms_version=?, booked_by=?, booked_by_agent_id=?, "
            "booked_by_partner_site_id=?, token_hash=?, token_expires_at=?, cancel_reason=?, "
            "sequence=?, created_at=?, updated_at=? WHERE id=?");
        bind_appointment(s, a);
        s.bind(26, a.id);
        s.run();
    }

    void add_event(Id appointment, const std::string& kind, const std::string& actor,
                   const std::string& detail) override {
        auto s = c_.prepare(
            "INSERT INTO appointment_events (appointment_id, at, kind, actor, detail) "
            "VALUES (?,?,?,?,?)");
        s.bind(1, appointment).bind(2, now_seconds()).bind(3, kind).bind(4, actor).bind(5, detail);
        s.run();
    }

    void add_audit(const AuditEntry& e) override {
        auto s = c_.prepare(
            "INSERT INTO audit_log (organisation_id, at, actor, action, object_type, object_id, "
            "detail) VALUES (?,?,?,?,?,?,?)");
        s.bind(1, e.organisation_id)
            .bind(2, now_seconds())
            .bind(3, e.actor)
            .bind(4, e.action)
            .bind(5, e.object_type)
            .bind(6, e.object_id)
            .bind(7, e.detail.empty() ? std::string("{}") : e.detail);
        s.run();
    }

    void enqueue(const OutboxMessage& m) override {
        // The idempotency key makes a replayed change enqueue nothing twice.
        auto s = c_.prepare(
            "INSERT INTO outbox (organisation_id, appointment_id, idempotency_key, kind, "
            "channel, payload, due_at, next_attempt_at, created_at, queued) "
            "VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (idempotency_key) DO NOTHING");
        s.bind(1, m.organisation_id)
            .bind(2, m.appointment_id)
            .bind(3, m.idempotency_key)
            .bind(4, m.kind)
            .bind(5, m.channel)
            .bind(6, m.payload)
            .bind(7, m.due_at)
            .bind(8, m.due_at)
            .bind(9, now_seconds())
            .bind(10, m.due_at <= now_seconds() + kDeferAfter ? 1 : 0);
        s.run();
    }

    int promote_deferred(Instant until) override {
        auto s = c_.prepare(
            "UPDATE outbox SET queued=1 WHERE id IN (SELECT id FROM outbox "
            "WHERE queued=0 AND due_at<=?)");
        s.bind(1, until);
        s.run();
        return c_.changes();
    }

    std::vector<OutboxRow> claim_due(Instant now, Instant lease_until, int limit) override {
        auto s = c_.prepare(
            "UPDATE outbox SET status='sending', next_attempt_at=? WHERE id IN ("
            "SELECT id FROM outbox WHERE status IN ('pending','sending') AND queued=1 "
            "AND next_attempt_at<=? "
            "ORDER BY next_attempt_at LIMIT ?) RETURNING id, organisation_id, appointment_id, "
            "idempotency_key, kind, channel, payload, status, attempts, due_at, "
            "next_attempt_at, last_error, created_at");
        s.bind(1, lease_until).bind(2, now).bind(3, limit);
        std::vector<OutboxRow> out;
        while (s.step()) out.push_back(read_outbox(s));
        std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.id < b.id; });
        return out;
    }
    bool renew_lease(Id id, Instant expected, Instant lease) override {
        auto s = c_.prepare(
            "UPDATE outbox SET next_attempt_at=? WHERE id=? AND status='sending' "
            "AND next_attempt_at=?");
        s.bind(1, lease).bind(2, id).bind(3, expected);
        s.run();
        return c_.changes() == 1;
    }
    void mark_sent(Id id, Instant now) override {
        // The sealed management token is no longer needed once the message is out.
        auto s = c_.prepare(
            "UPDATE outbox SET status='sent', sent_at=?, attempts=attempts+1, last_error='', "
            "payload=json_remove(payload, '$.token') WHERE id=?");
        s.bind(1, now).bind(2, id);
        s.run();
    }
    void mark_retry(Id id, int attempts, Instant next, const std::string& error) override {
        auto s = c_.prepare(
            "UPDATE outbox SET status='pending', attempts=?, next_attempt_at=?, last_error=? "
            "WHERE id=?");
        s.bind(1, attempts).bind(2, next).bind(3, error.substr(0, 500)).bind(4, id);
        s.run();
    }
    void mark_dead(Id id, int attempts, const std::string& error) override {
        auto s = c_.prepare("UPDATE outbox SET status='dead', attempts=?, last_error=? WHERE id=?");
        s.bind(1, attempts).bind(2, error.substr(0, 500)).bind(3, id);
        s.run();
    }
    void mark_skipped(Id id, const std::string& why) override {
        auto s = c_.prepare(
            "UPDATE outbox SET status='cancelled', last_error=?, "
            "payload=json_remove(payload, '$.token') WHERE id=?");
        s.bind(1, why).bind(2, id);
        s.run();
    }
    bool insert_survey(Id org, Id appointment, int rating, const std::string& comment) override {
        auto s = c_.prepare(
            "INSERT INTO satisfaction_surveys (appointment_id, organisation_id, rating, comment, "
            "created_at) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING");
        s.bind(1, appointment).bind(2, org).bind(3, rating).bind(4, comment).bind(5, now_seconds());
        s.run();
        return c_.changes() == 1;
    }
    bool sms_opted_out(Id org, const std::string& e164) override {
        auto s = c_.prepare("SELECT 1 FROM sms_opt_outs WHERE organisation_id=? AND phone=?");
        s.bind(1, org).bind(2, e164);
        return s.step();
    }
    void add_sms_opt_out(Id org, const std::string& e164) override {
        auto s = c_.prepare(
            "INSERT INTO sms_opt_outs (organisation_id, phone, created_at) VALUES (?,?,?) "
            "ON CONFLICT DO NOTHING");
        s.bind(1, org).bind(2, e164).bind(3, now_seconds());
        s.run();
    }
    int cancel_pending(Id appointment, const std::vector<std::string>& kinds) override {
        int n = 0;
        for (auto& k : kinds) {
            auto s = c_.prepare(
                "UPDATE outbox SET status='cancelled', payload=json_remove(payload, '$.token') "
                "WHERE appointment_id=? AND kind=? "
                "AND status IN ('pending','sending')");
            s.bind(1, appointment).bind(2, k);
            s.run();
            n += c_.changes();
        }
        return n;
    }
    std::vector<OutboxRow> outbox(Id org, const std::string& status, int limit) override {
        // Dead letters through their partial index (the literal status lets SQLite use it);
        // other statuses are for diagnosis and may scan.
        static const std::string dead = std::string("SELECT ") + kOutboxColumns +
                                        " FROM outbox WHERE organisation_id=? AND "
                                        "status='dead' AND ?<>'' ORDER BY id DESC LIMIT ?";
        static const std::string any = std::string("SELECT ") + kOutboxColumns +
                                       " FROM outbox WHERE organisation_id=? AND status=? "
                                       "ORDER BY id DESC LIMIT ?";
        auto s = c_.prepare(status == "dead" ? dead.c_str() : any.c_str());
        s.bind(1, org).bind(2, status).bind(3, limit);
        std::vector<OutboxRow> out;
        while (s.step()) out.push_back(read_outbox(s));
        return out;
    }
    bool replay(Id org, Id id, Instant now) override {
        auto s = c_.prepare(
            "UPDATE outbox SET status='pending', next_attempt_at=?, attempts=0, queued=1 "
            "WHERE id=? AND organisation_id=? AND status='dead'");
        s.bind(1, now).bind(2, id).bind(3, org);
        s.run();
        return c_.changes() == 1;
    }

    bool agent_is_free(Id agent, core::Interval span, Instant buffer,
                       std::optional<Id> except) override {
        auto s = c_.prepare(
            "SELECT 1 FROM appointments WHERE agent_id=? AND status IN ('booked','confirmed') "
            "AND starts_at < ? AND ends_at > ? AND starts_at > ? AND id <> ? LIMIT 1");
        s.bind(1, agent)
            .bind(2, span.end + buffer)
            .bind(3, span.start - buffer)
            .bind(4, span.start - buffer - 86400)
            .bind(5, except.value_or(-1));
        if (s.step()) return false;
        auto a = c_.prepare(
            "SELECT 1 FROM absences WHERE agent_id=? AND starts_at < ? AND ends_at > ? LIMIT 1");
        a.bind(1, agent).bind(2, span.end).bind(3, span.start);
        return !a.step();
    }

    int count_live_overlaps(Id org) override {
        auto s = c_.prepare(
            "SELECT COUNT(*) FROM appointments a JOIN appointments b ON a.agent_id = b.agent_id "
            "AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
            "WHERE a.organisation_id=? AND a.status IN ('booked','confirmed') "
            "AND b.status IN ('booked','confirmed')");
        s.bind(1, org);
        s.step();
        return s.i32(0);
    }

    Id insert_organisation(const Organisation& o) override {
        auto s = c_.prepare(
            "INSERT INTO organisations (slug, name, languages, default_time_zone, "
            "holiday_region, brand_colour, logo_url, sender_email, reply_to, mediation_contact, "
            "created_at, sms_gateway) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
        s.bind(1, o.slug)
            .bind(2, o.name)
            .bind(3, join(o.languages))
            .bind(4, o.default_time_zone)
            .bind(5, o.holiday_region)
            .bind(6, o.brand_colour)
            .bind(7, o.logo_url)
            .bind(8, o.sender_email)
            .bind(9, o.reply_to)
            .bind(10, o.mediation_contact)
            .bind(11, now_seconds())
            .bind(12, o.sms_gateway);
        s.run();
        return c_.last_insert_id();
    }
    Id insert_terms(const Terms& t) override {
        auto s = c_.prepare(
            "INSERT INTO terms (organisation_id, version, text, conduct_rules, published_at) "
            "VALUES (?,?,?,?,?)");
        s.bind(1, t.organisation_id)
            .bind(2, t.version)
            .bind(3, t.text.to_json())
            .bind(4, t.conduct_rules.to_json())
            .bind(5, t.published_at ? t.published_at : now_seconds());
        s.run();
        return c_.last_insert_id();
    }
    Id insert_site(const Site& x) override {
        auto s = c_.prepare(
            "INSERT INTO sites (organisation_id, name, address, postal_code, city, time_zone, "
            "access_notes, is_partner, holiday_region) VALUES (?,?,?,?,?,?,?,?,?)");
        s.bind(1, x.organisation_id)
            .bind(2, x.name)
            .bind(3, x.address)
            .bind(4, x.postal_code)
            .bind(5, x.city)
            .bind(6, x.time_zone)
            .bind(7, x.access_notes.to_json())
            .bind(8, x.is_partner ? 1 : 0)
            .bind(9, x.holiday_region);
        s.run();
        return c_.last_insert_id();
    }
    Id insert_motif(const Motif& m) override {
        auto s = c_.prepare(
            "INSERT INTO motifs (organisation_id, code, name, theme, documents, "
            "duration_minutes, buffer_minutes, min_lead_minutes, horizon_days, channels, "
            "is_public, asks_beneficiary_number, reminder_minutes, position) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        s.bind(1, m.organisation_id)
            .bind(2, m.code)
            .bind(3, m.name.to_json())
            .bind(4, m.theme.to_json())
            .bind(5, m.documents.to_json())
            .bind(6, m.rules.duration_minutes)
            .bind(7, m.rules.buffer_minutes)
            .bind(8, m.rules.min_lead_minutes)
            .bind(9, m.rules.horizon_days)
            .bind(10, int(m.rules.channels))
            .bind(11, m.is_public ? 1 : 0)
            .bind(12, m.asks_beneficiary_number ? 1 : 0)
            .bind(13, json(m.reminder_minutes).dump())
            .bind(14, m.position);
        s.run();
        return c_.last_insert_id();
    }
    Id insert_agent(const Agent& a) override {
        auto s = c_.prepare(
            "INSERT INTO agents (organisation_id, display_name, email, notify_mode, active) "
            "VALUES (?,?,?,?,?)");
        s.bind(1, a.organisation_id)
            .bind(2, a.display_name)
            .bind(3, a.email)
            .bind(4, a.notify_mode)
            .bind(5, a.active ? 1 : 0);
        s.run();
        return c_.last_insert_id();
    }
    Id insert_plan(Id org, const core::OpeningPlan& p) override {
        auto s = c_.prepare(
            "INSERT INTO opening_plans (organisation_id, agent_id, site_id, weekdays, "
            "start_minute, end_minute, valid_from, valid_until, every_n_weeks, channels, "
            "motif_ids) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
        s.bind(1, org).bind(2, p.agent_id).bind(3, p.site_id);
        bind_rule(s, 4, p.rule);
        s.bind(10, int(p.channels)).bind(11, ids_to_json(p.motif_ids));
        s.run();
        return c_.last_insert_id();
    }
    Id insert_absence(Id org, const core::Absence& a, const std::string& reason) override {
        auto s = c_.prepare(
            "INSERT INTO absences (organisation_id, agent_id, starts_at, ends_at, reason) "
            "VALUES (?,?,?,?,?)");
        s.bind(1, org)
            .bind(2, a.agent_id)
            .bind(3, a.span.start)
            .bind(4, a.span.end)
            .bind(5, reason);
        s.run();
        return c_.last_insert_id();
    }
    Id insert_recurring_absence(Id org, const core::RecurringAbsence& a,
                                const std::string& reason) override {
        auto s = c_.prepare(
            "INSERT INTO recurring_absences (organisation_id, agent_id, weekdays, start_minute, "
            "end_minute, valid_from, valid_until, every_n_weeks, reason) "
            "VALUES (?,?,?,?,?,?,?,?,?)");
        s.bind(1, org).bind(2, a.agent_id);
        bind_rule(s, 3, a.rule);
        s.bind(9, reason);
        s.run();
        return c_.last_insert_id();
    }

  private:
    static Organisation read_org(const Stmt& s) {
        Organisation o;
        o.id = s.i64(0);
        o.slug = s.text(1);
        o.name = s.text(2);
        o.languages = split(s.text(3));
        o.default_time_zone = s.text(4);
        o.holiday_region = s.text(5);
        o.brand_colour = s.text(6);
        o.logo_url = s.text(7);
        o.sender_email = s.text(8);
        o.reply_to = s.text(9);
        o.mediation_contact = s.text(10);
        o.sms_gateway = s.text(11);
        return o;
    }
    static void bind_appointment(Stmt& s, const Appointment& a) {
        s.bind(1, a.organisation_id)
            .bind(2, a.motif_id)
            .bind(3, a.site_id)
            .bind(4, a.agent_id)
            .bind(5, core::to_string(a.channel))
            .bind(6, a.starts_at)
            .bind(7, a.ends_at)
            .bind(8, to_string(a.status))
            .bind(9, a.citizen.first_name)
            .bind(10, a.citizen.last_name)
            .bind(11, a.citizen.email)
            .bind(12, a.citizen.phone)
            .bind(13, a.citizen.language)
            .bind(14, a.citizen.beneficiary_number)
            .bind(15, a.citizen.needs)
            .bind(16, a.terms_version)
            .bind(17, a.booked_by.kind)
            .bind(18, a.booked_by.agent_id)
            .bind(19, a.booked_by.partner_site_id)
            .bind(20, a.token_hash)
            .bind(21, a.token_expires_at)
            .bind(22, a.cancel_reason)
            .bind(23, a.sequence)
            .bind(24, a.created_at)
            .bind(25, a.updated_at);
    }

    Connection& c_;
};

class SqliteStore final : public Store {
  public:
    explicit SqliteStore(StoreOptions o) : opt_(std::move(o)) {
        auto c = open();  // fails early on a bad path
        release(std::move(c));
    }

    ~SqliteStore() override {
        // The writer drains its queue first, then the flush thread what the writer handed it.
        stop(queue_mutex_, stopping_writer_, writer_cv_, writer_thread_);
        stop(queue_mutex_, stopping_flush_, flush_cv_, flush_thread_);
        stop(checkpoint_mutex_, stopping_, checkpoint_cv_, checkpointer_);
    }

    int migrate() override {
        std::lock_guard lock(write_mutex_);
        Lease c(*this);
        c->exec("BEGIN IMMEDIATE");
        try {
            c->exec(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "applied_at INTEGER NOT NULL)");
            int current = version_of(*c);
            for (auto& m : migrations()) {
                if (m.version <= current) continue;
                c->reset_all();
                c->exec(m.sql);
                auto s =
                    c->prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
                s.bind(1, m.version).bind(2, now_seconds());
                s.run();
            }
            c->reset_all();
            c->exec("COMMIT");
        } catch (...) {
            c->exec("ROLLBACK");
            throw;
        }
        return version_of(*c);
    }

    int schema_version() override {
        Lease c(*this);
        try {
            return version_of(*c);
        } catch (...) {
            return 0;
        }
    }

    void read(const std::function<void(Session&)>& fn) override {
        Lease c(*this);
        run_tx(*c, "BEGIN", fn);
    }

    // Group commit: writers queue their unit of work and wait; one writer thread takes
    // everything queued, runs each unit in its own SAVEPOINT of one transaction, commits
    // once and wakes them. Each unit still runs alone and in order (check-then-insert stays
    // race-free), a failing unit rolls back only its savepoint, and nobody returns before
    // the common COMMIT is durable: the fsync is shared by the batch. BEGIN IMMEDIATE still
    // guards against other processes (CLI) through the busy timeout.
    void write(const std::function<void(Session&)>& fn) override {
        Pending me{&fn, nullptr, false};
        std::unique_lock lock(queue_mutex_);
        if (!writer_thread_.joinable()) writer_thread_ = std::thread([this] { writer_loop(); });
        queue_.push_back(&me);
        writer_cv_.notify_one();
        done_cv_.wait(lock, [&] { return me.done; });
        if (me.error) std::rethrow_exception(me.error);
    }

    bool ready() override {
        try {
            Lease c(*this);
            auto s = c->prepare("SELECT COUNT(*) FROM schema_migrations");
            return s.step();
        } catch (...) {
            return false;
        }
    }

  private:
    // A pooled connection, returned to the pool on every exit path.
    struct Lease {
        SqliteStore& store;
        std::unique_ptr<Connection> conn;
        explicit Lease(SqliteStore& s) : store(s), conn(s.acquire()) {}
        ~Lease() {
            conn->reset_all();
            store.release(std::move(conn));
        }
        Connection* operator->() { return conn.get(); }
        Connection& operator*() { return *conn; }
    };

    static int version_of(Connection& c) {
        auto s = c.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        s.step();
        return s.i32(0);
    }

    static void stop(std::mutex& m, bool& stopping, std::condition_variable& cv, std::thread& t) {
        {
            std::lock_guard lock(m);
            stopping = true;
        }
        cv.notify_all();
        if (t.joinable()) t.join();
    }

    struct Pending {
        const std::function<void(Session&)>* fn;
        std::exception_ptr error;
        bool done = false;
    };

    // The connection of group commits: the only writer of this process, so its page cache
    // stays warm (other connections' commits would discard it). Checkpoints run beside it.
    Connection& writer() {
        if (!writer_) {
            writer_ = open();
            writer_->exec("PRAGMA cache_size=-16384");  // KiB: the hot index pages stay cached
            // Savepoint and statement journals in memory, not in temporary files.
            writer_->exec("PRAGMA temp_store=MEMORY");
            // COMMIT writes the WAL without waiting for the disk; flush_loop() makes each
            // batch durable (fdatasync of the WAL) before anybody in it is answered, while
            // this connection already runs the next batch.
            if (opt_.durable) writer_->exec("PRAGMA synchronous=NORMAL");
            sqlite3_wal_hook(writer_->raw(), &SqliteStore::on_wal, this);
        }
        return *writer_;
    }

    // Replaces SQLite's automatic checkpoint, which would copy pages back into the database
    // inside the committing writer's COMMIT (several fsyncs) while every other writer waits.
    static int on_wal(void* self, sqlite3*, const char*, int frames) {
        if (frames >= kCheckpointFrames) static_cast<SqliteStore*>(self)->request_checkpoint();
        return SQLITE_OK;
    }
    static constexpr int kCheckpointFrames = 1000;  // SQLite's own default threshold

    void request_checkpoint() {
        std::lock_guard lock(checkpoint_mutex_);
        if (!checkpointer_.joinable()) checkpointer_ = std::thread([this] { checkpoint_loop(); });
        checkpoint_wanted_ = true;
        checkpoint_cv_.notify_one();
    }

    void checkpoint_loop() {
        pthread_setname_np(pthread_self(), "vg-checkpoint");
        std::unique_ptr<Connection> c;
        std::unique_lock lock(checkpoint_mutex_);
        while (true) {
            checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || stopping_; });
            if (stopping_) return;
            checkpoint_wanted_ = false;
            lock.unlock();
            try {
                if (!c) c = open();
                // PASSIVE: never waits for readers or the writer; what it cannot copy now is
                // copied by the next round.
                sqlite3_wal_checkpoint_v2(c->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                          nullptr);
            } catch (...) {
                c.reset();  // retried at the next request
            }
            lock.lock();
        }
    }

    void writer_loop() {
        // The serial section of every write: ahead of the request threads when the system
        // allows it (root, or CAP_SYS_NICE); harmless when it does not.
        setpriority(PRIO_PROCESS, pid_t(syscall(SYS_gettid)), -5);
        pthread_setname_np(pthread_self(), "vg-writer");
        std::unique_lock lock(queue_mutex_);
        while (true) {
            writer_cv_.wait(lock, [&] { return !queue_.empty() || stopping_writer_; });
            if (queue_.empty()) return;  // stopping, nothing left
            std::vector<Pending*> batch;
            batch.swap(queue_);
            lock.unlock();
            run_batch(batch);
            lock.lock();
            if (opt_.durable) {
                if (!flush_thread_.joinable())
                    flush_thread_ = std::thread([this] { flush_loop(); });
                unflushed_.insert(unflushed_.end(), batch.begin(), batch.end());
                flush_cv_.notify_one();
            } else {
                for (auto* p : batch) p->done = true;
                done_cv_.notify_all();
            }
        }
    }

    // Durability, outside the serial section: one fdatasync of the WAL covers every batch
    // committed before it started. Its writers return only then.
    void flush_loop() {
        pthread_setname_np(pthread_self(), "vg-flush");
        std::unique_lock lock(queue_mutex_);
        while (true) {
            flush_cv_.wait(lock, [&] { return !unflushed_.empty() || stopping_flush_; });
            if (unflushed_.empty()) return;
            std::vector<Pending*> batch;
            batch.swap(unflushed_);
            lock.unlock();
            std::string failure = flush_wal();
            lock.lock();
            for (auto* p : batch) {
                if (!failure.empty() && !p->error)
                    p->error = std::make_exception_ptr(std::runtime_error(failure));
                p->done = true;
            }
            done_cv_.notify_all();
        }
    }

    // Empty on success. The WAL lives as long as the writer connection (never closed while
    // batches run), so a fresh descriptor names the file SQLite wrote to.
    std::string flush_wal() {
        auto wal = opt_.path + "-wal";
        int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
        // No WAL (a file system where SQLite could not enable it): the changes went to the
        // database file itself.
        if (fd < 0 && errno == ENOENT) {
            wal = opt_.path;
            fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
        }
        if (fd < 0) return "cannot open " + wal + " to flush it: " + std::strerror(errno);
        int rc = ::fdatasync(fd);
        int err = errno;
        ::close(fd);
        if (rc != 0) return "fdatasync " + wal + " failed: " + std::strerror(err);
        return {};
    }

    void run_batch(const std::vector<Pending*>& batch) {
        std::lock_guard lock(write_mutex_);  // migrate() and other writers of this process
        Connection* c = nullptr;
        try {
            c = &writer();
            c->exec("BEGIN IMMEDIATE");
            SqliteSession session(*c);
            for (auto* p : batch) {
                c->prepare("SAVEPOINT unit").run();
                try {
                    (*p->fn)(session);
                    c->reset_all();
                    c->prepare("RELEASE unit").run();
                } catch (...) {
                    p->error = std::current_exception();
                    c->reset_all();
                    c->prepare("ROLLBACK TO unit").run();
                    c->prepare("RELEASE unit").run();
                }
            }
            c->exec("COMMIT");
        } catch (...) {
            // No connection, BEGIN refused (busy) or the transaction itself failed (commit,
            // disk full): nobody's work landed.
            auto e = std::current_exception();
            if (c) {
                c->reset_all();
                try {
                    c->exec("ROLLBACK");
                } catch (...) {
                }
            }
            for (auto* p : batch)
                if (!p->error) p->error = e;
        }
    }

    void run_tx(Connection& c, const char* begin, const std::function<void(Session&)>& fn) {
        c.exec(begin);
        try {
            SqliteSession session(c);
            fn(session);
            c.reset_all();
            c.exec("COMMIT");
        } catch (...) {
            c.reset_all();
            try {
                c.exec("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
    }

    std::unique_ptr<Connection> open() {
        auto c = std::make_unique<Connection>(opt_.path, opt_.busy_timeout_ms);
        c->exec("PRAGMA journal_mode=WAL");
        c->exec(opt_.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        c->exec("PRAGMA foreign_keys=ON");
        // One per request thread: every commit of the writer empties their caches anyway,
        // so a small one saves memory for nothing lost (the writer's is larger).
        c->exec("PRAGMA cache_size=-1024");
        return c;
    }
    std::unique_ptr<Connection> acquire() {
        {
            std::lock_guard lock(pool_mutex_);
            if (!pool_.empty()) {
                auto c = std::move(pool_.back());
                pool_.pop_back();
                return c;
            }
        }
        return open();
    }
    void release(std::unique_ptr<Connection> c) {
        std::lock_guard lock(pool_mutex_);
        pool_.push_back(std::move(c));
    }

    StoreOptions opt_;
    std::mutex write_mutex_;
    std::unique_ptr<Connection> writer_;  // under write_mutex_
    std::mutex checkpoint_mutex_;
    std::condition_variable checkpoint_cv_;
    std::thread checkpointer_;
    bool checkpoint_wanted_ = false;
    bool stopping_ = false;
    std::mutex queue_mutex_;
    std::condition_variable writer_cv_;  // work queued
    std::condition_variable done_cv_;    // a batch is durable
    std::condition_variable flush_cv_;   // a batch is committed, not yet flushed
    std::vector<Pending*> queue_;
    std::vector<Pending*> unflushed_;
    std::thread writer_thread_;
    std::thread flush_thread_;
    bool stopping_writer_ = false;
    bool stopping_flush_ = false;
    std::mutex pool_mutex_;
    std::vector<std::unique_ptr<Connection>> pool_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const StoreOptions& options) {
    return std::make_unique<SqliteStore>(options);
}

}  // namespace vg::store
