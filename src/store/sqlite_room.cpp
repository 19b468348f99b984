// SQLite queries of the video room (issue 13, migration 15): room tokens, the room's
// journal, third participants' invitations, participants' resume secrets.
#include "store/sqlite_rows.hpp"
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

void SqliteSession::add_room_token_hash(Id appointment, const std::string& hash) {
    auto s = c_.prepare(
        "INSERT INTO room_tokens (appointment_id, token_hash, created_at) VALUES (?,?,?)");
    s.bind(1, appointment).bind(2, hash).bind(3, now());
    s.run();
}

std::optional<Appointment> SqliteSession::appointment_by_room_token_hash(const std::string& hash) {
    auto s = c_.prepare("SELECT " VG_APPOINTMENT_COLUMNS
                        " FROM appointments WHERE id=(SELECT appointment_id FROM room_tokens "
                        "WHERE token_hash=?)");
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return read_appointment(s);
}

void SqliteSession::add_room_event(const RoomEvent& e) {
    auto s = c_.prepare(
        "INSERT INTO room_events (appointment_id, organisation_id, at, role, participant, kind, "
        "detail) VALUES (?,?,?,?,?,?,?)");
    s.bind(1, e.appointment_id)
        .bind(2, e.organisation_id)
        .bind(3, now())
        .bind(4, e.role)
        .bind(5, e.participant)
        .bind(6, e.kind)
        .bind(7, e.detail);
    s.run();
}

std::vector<RoomEvent> SqliteSession::room_events(Id org, Id appointment) {
    auto s = c_.prepare(
        "SELECT id, appointment_id, organisation_id, at, role, participant, kind, detail "
        "FROM room_events WHERE organisation_id=? AND appointment_id=? ORDER BY id");
    s.bind(1, org).bind(2, appointment);
    std::vector<RoomEvent> out;
    while (s.step())
        out.push_back(
            {s.i64(0), s.i64(1), s.i64(2), s.i64(3), s.text(4), s.text(5), s.text(6), s.text(7)});
    return out;
}

namespace {

#define VG_INVITATION_COLUMNS \
    "id, appointment_id, organisation_id, token_hash, created_by, created_at, revoked_at, used_at"

RoomInvitation read_invitation(const Stmt& s) {
    return {s.i64(0),  s.i64(1), s.i64(2),     s.text(3),
            s.text(4), s.i64(5), s.opt_i64(6), s.opt_i64(7)};
}

#define VG_PARTICIPANT_COLUMNS                                                        \
    "id, appointment_id, participant, role, resume_hash, invitation_id, account_id, " \
    "admitted_at, created_at"

RoomParticipant read_participant(const Stmt& s) {
    return {s.i64(0),     s.i64(1),     s.text(2),    s.text(3), s.text(4),
            s.opt_i64(5), s.opt_i64(6), s.opt_i64(7), s.i64(8)};
}

}  // namespace

Id SqliteSession::insert_room_invitation(const RoomInvitation& i) {
    auto s = c_.prepare(
        "INSERT INTO room_invitations (appointment_id, organisation_id, token_hash, created_by, "
        "created_at) VALUES (?,?,?,?,?)");
    s.bind(1, i.appointment_id)
        .bind(2, i.organisation_id)
        .bind(3, i.token_hash)
        .bind(4, i.created_by)
        .bind(5, now());
    s.run();
    return c_.last_insert_id();
}

std::optional<RoomInvitation> SqliteSession::room_invitation_by_hash(const std::string& hash) {
    auto s =
        c_.prepare("SELECT " VG_INVITATION_COLUMNS " FROM room_invitations WHERE token_hash=?");
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return read_invitation(s);
}

std::vector<RoomInvitation> SqliteSession::room_invitations(Id org, Id appointment) {
    auto s = c_.prepare("SELECT " VG_INVITATION_COLUMNS
                        " FROM room_invitations WHERE organisation_id=? AND appointment_id=? "
                        "ORDER BY id");
    s.bind(1, org).bind(2, appointment);
    std::vector<RoomInvitation> out;
    while (s.step()) out.push_back(read_invitation(s));
    return out;
}

bool SqliteSession::revoke_room_invitation(Id org, Id appointment, Id id) {
    auto s = c_.prepare(
        "UPDATE room_invitations SET revoked_at=? WHERE organisation_id=? AND appointment_id=? "
        "AND id=? AND revoked_at IS NULL");
    s.bind(1, now()).bind(2, org).bind(3, appointment).bind(4, id);
    s.run();
    return c_.changes() == 1;
}

bool SqliteSession::use_room_invitation(Id id) {
    auto s = c_.prepare(
        "UPDATE room_invitations SET used_at=? WHERE id=? AND used_at IS NULL AND revoked_at "
        "IS NULL");
    s.bind(1, now()).bind(2, id);
    s.run();
    return c_.changes() == 1;
}

Id SqliteSession::insert_room_participant(const RoomParticipant& p) {
    auto s = c_.prepare(
        "INSERT INTO room_participants (appointment_id, participant, role, resume_hash, "
        "invitation_id, account_id, admitted_at, created_at) VALUES (?,?,?,?,?,?,?,?)");
    s.bind(1, p.appointment_id)
        .bind(2, p.participant)
        .bind(3, p.role)
        .bind(4, p.resume_hash)
        .bind(5, p.invitation_id)
        .bind(6, p.account_id)
        .bind(7, p.admitted_at)
        .bind(8, now());
    s.run();
    return c_.last_insert_id();
}

std::optional<RoomParticipant> SqliteSession::room_participant_by_resume(const std::string& hash) {
    auto s =
        c_.prepare("SELECT " VG_PARTICIPANT_COLUMNS " FROM room_participants WHERE resume_hash=?");
    s.bind(1, hash);
    if (!s.step()) return std::nullopt;
    return read_participant(s);
}

void SqliteSession::admit_room_participant(Id appointment, const std::string& participant) {
    auto s = c_.prepare(
        "UPDATE room_participants SET admitted_at=? WHERE appointment_id=? AND participant=? "
        "AND admitted_at IS NULL");
    s.bind(1, now()).bind(2, appointment).bind(3, participant);
    s.run();
}

}  // namespace vg::store::sqlite
