// SQLite queries: the organisation's administration (settings, sites, motifs, terms,
// roles, retention, logo).
#include <sodium.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "store/sql_dialect.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

using nlohmann::json;

bool SqliteSession::update_organisation_settings(const Organisation& o) {
    auto s = c_.prepare(
        "UPDATE organisations SET name=?, languages=?, default_time_zone=?, sender_email=?, "
        "reply_to=?, mediation_contact=?, brand_colour=?, no_show_delay_minutes=?, "
        "retention_days=?, room_opens_minutes=?, room_margin_minutes=?, camera_required=?, "
        "document_retention_days=? WHERE id=?");
    s.bind(1, o.name)
        .bind(2, join(o.languages))
        .bind(3, o.default_time_zone)
        .bind(4, o.sender_email)
        .bind(5, o.reply_to)
        .bind(6, o.mediation_contact)
        .bind(7, o.brand_colour)
        .bind(8, o.no_show_delay_minutes)
        .bind(9, o.retention_days)
        .bind(10, o.room_opens_minutes)
        .bind(11, o.room_margin_minutes)
        .bind(12, o.camera_required ? 1 : 0)
        .bind(13, o.document_retention_days)
        .bind(14, o.id);
    s.run();
    return c_.changes() == 1;
}

bool SqliteSession::update_site(const Site& x) {
    auto s = c_.prepare(
        "UPDATE sites SET name=?, address=?, postal_code=?, city=?, time_zone=?, "
        "access_notes=?, is_partner=?, holiday_region=? WHERE organisation_id=? AND id=?");
    bind_site(s, 1, x);
    s.bind(9, x.organisation_id).bind(10, x.id);
    s.run();
    return c_.changes() == 1;
}

bool SqliteSession::update_motif(const Motif& m) {
    auto s = c_.prepare(
        "UPDATE motifs SET code=?, name=?, theme=?, documents=?, duration_minutes=?, "
        "buffer_minutes=?, min_lead_minutes=?, horizon_days=?, channels=?, is_public=?, "
        "asks_beneficiary_number=?, reminder_minutes=?, position=?, open_to_partners=? "
        "WHERE organisation_id=? AND id=?");
    bind_motif(s, 1, m);
    s.bind(15, m.organisation_id).bind(16, m.id);
    s.run();
    return c_.changes() == 1;
}

std::vector<Terms> SqliteSession::terms_versions(Id org) {
    auto s = c_.prepare(
        "SELECT id, organisation_id, version, text, conduct_rules, published_at FROM terms "
        "WHERE organisation_id=? ORDER BY version DESC");
    s.bind(1, org);
    std::vector<Terms> out;
    while (s.step()) out.push_back(read_terms(s));
    return out;
}

bool SqliteSession::remove_membership(Id account, Id org, const std::string& role) {
    auto s =
        c_.prepare("DELETE FROM memberships WHERE account_id=? AND organisation_id=? AND role=?");
    s.bind(1, account).bind(2, org).bind(3, role);
    s.run();
    return c_.changes() == 1;
}

int SqliteSession::erase_personal_data(Id org, Instant ended_before) {
    // The messages' payloads (names, addresses, links) and the survey's free comment go
    // first, while the appointments still say which ones are concerned.
    // Statements are literals (the connection caches them by the address of their text).
#define VG_ERASABLE                                                                         \
    "SELECT id FROM appointments WHERE organisation_id=? AND ends_at < ? AND erased_at IS " \
    "NULL"
    auto run = [&](const char* statement) {
        auto s = c_.prepare(statement);
        s.bind(1, org).bind(2, ended_before);
        s.run();
    };
    run("UPDATE outbox SET payload='{}' WHERE appointment_id IN (" VG_ERASABLE
        ") AND status IN ('sent','dead','cancelled')");
    run("DELETE FROM sms_sends WHERE outbox_id IN (SELECT id FROM outbox WHERE appointment_id "
        "IN (" VG_ERASABLE "))");
    run("UPDATE satisfaction_surveys SET comment='' WHERE appointment_id IN (" VG_ERASABLE ")");
    // The agents' private notes are about the citizen too.
    run("DELETE FROM appointment_notes WHERE appointment_id IN (" VG_ERASABLE ")");
#undef VG_ERASABLE
    auto s = c_.prepare(
        "UPDATE appointments SET citizen_first_name='', citizen_last_name='', "
        "citizen_email='', citizen_phone='', beneficiary_number='', needs='', erased_at=? "
        "WHERE organisation_id=? AND ends_at < ? AND erased_at IS NULL");
    s.bind(1, now()).bind(2, org).bind(3, ended_before);
    s.run();
    return c_.changes();
}

void SqliteSession::set_logo(Id org, const std::optional<Logo>& logo) {
    std::string encoded;
    if (logo) {
        encoded.resize(
            sodium_base64_encoded_len(logo->data.size(), sodium_base64_VARIANT_ORIGINAL));
        sodium_bin2base64(encoded.data(), encoded.size(),
                          reinterpret_cast<const unsigned char*>(logo->data.data()),
                          logo->data.size(), sodium_base64_VARIANT_ORIGINAL);
        encoded.resize(std::strlen(encoded.c_str()));
    }
    auto s =
        c_.prepare("UPDATE organisations SET logo_type=?, logo_data=?, logo_etag=? WHERE id=?");
    s.bind(1, logo ? logo->content_type : std::string())
        .bind(2, encoded)
        .bind(3, logo ? logo->etag : std::string())
        .bind(4, org);
    s.run();
}

std::optional<Logo> SqliteSession::logo(Id org) {
    auto s = c_.prepare(
        "SELECT logo_type, logo_data, logo_etag FROM organisations WHERE id=? AND logo_etag<>''");
    s.bind(1, org);
    if (!s.step()) return std::nullopt;
    Logo l{s.text(0), {}, s.text(2)};
    auto encoded = s.text(1);
    l.data.resize(encoded.size());
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(l.data.data()), l.data.size(),
                          encoded.data(), encoded.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    l.data.resize(len);
    return l;
}

}  // namespace vg::store::sqlite
