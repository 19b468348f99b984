// SQLite queries: the documents sent during a call (room_documents).
#include "store/sqlite_session.hpp"

namespace vg::store::sqlite {

#define DOCUMENT_COLUMNS                                                                        \
    "id, organisation_id, appointment_id, sender, name, content_type, size, file, sealed_key, " \
    "created_at, delete_after, deleted_at"

namespace {

RoomDocument read_document(const Stmt& s) {
    RoomDocument d;
    d.id = s.i64(0);
    d.organisation_id = s.i64(1);
    d.appointment_id = s.i64(2);
    d.sender = s.text(3);
    d.name = s.text(4);
    d.content_type = s.text(5);
    d.size = s.i64(6);
    d.file = s.text(7);
    d.sealed_key = s.text(8);
    d.created_at = s.i64(9);
    d.delete_after = s.i64(10);
    d.deleted_at = s.opt_i64(11);
    return d;
}

}  // namespace

Id SqliteSession::insert_document(const RoomDocument& d) {
    auto s = c_.prepare(
        "INSERT INTO room_documents (organisation_id, appointment_id, sender, name, "
        "content_type, size, file, sealed_key, created_at, delete_after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    s.bind(1, d.organisation_id)
        .bind(2, d.appointment_id)
        .bind(3, d.sender)
        .bind(4, d.name)
        .bind(5, d.content_type)
        .bind(6, d.size)
        .bind(7, d.file)
        .bind(8, d.sealed_key)
        .bind(9, d.created_at)
        .bind(10, d.delete_after);
    s.step();
    Id id = s.i64(0);
    s.run();
    return id;
}

std::vector<RoomDocument> SqliteSession::documents(Id org, Id appointment) {
    auto s = c_.prepare("SELECT " DOCUMENT_COLUMNS
                        " FROM room_documents WHERE organisation_id=? AND appointment_id=? "
                        "ORDER BY id");
    s.bind(1, org).bind(2, appointment);
    std::vector<RoomDocument> out;
    while (s.step()) out.push_back(read_document(s));
    return out;
}

std::optional<RoomDocument> SqliteSession::document(Id org, Id id) {
    auto s = c_.prepare("SELECT " DOCUMENT_COLUMNS
                        " FROM room_documents WHERE organisation_id=? AND id=?");
    s.bind(1, org).bind(2, id);
    if (!s.step()) return std::nullopt;
    auto d = read_document(s);
    s.run();
    return d;
}

std::vector<RoomDocument> SqliteSession::documents_due(Instant now, int limit) {
    auto s = c_.prepare("SELECT " DOCUMENT_COLUMNS
                        " FROM room_documents WHERE deleted_at IS NULL AND delete_after<=? "
                        "ORDER BY delete_after LIMIT ?");
    s.bind(1, now).bind(2, limit);
    std::vector<RoomDocument> out;
    while (s.step()) out.push_back(read_document(s));
    return out;
}

bool SqliteSession::mark_document_deleted(Id org, Id id, Instant at) {
    auto s = c_.prepare(
        "UPDATE room_documents SET sealed_key='', deleted_at=? "
        "WHERE organisation_id=? AND id=? AND deleted_at IS NULL");
    s.bind(1, at).bind(2, org).bind(3, id);
    s.run();
    return c_.changes() > 0;
}

#undef DOCUMENT_COLUMNS

}  // namespace vg::store::sqlite
