"""Sending a document to a video room as the citizen's page does (POST /room/{token}/documents,
multipart/form-data with csrf, resume and the file "document"); shared by
test_room_documents.py and test_access_matrix.py."""

import hashlib
import secrets
import sqlite3
import time
import uuid


def open_rooms(srv, slug="demo"):
    """Every offered slot's room is open: the waiting room opens 60 days before."""
    srv.write("UPDATE organisations SET room_opens_minutes = ? WHERE slug = ?",
              (60 * 24 * 60, slug))


def admitted_citizen(srv, appointment_id, admitted=True):
    """A citizen participant of the appointment's room, admitted or waiting, as the hub
    stores it (room_participants): its resume secret."""
    resume = secrets.token_urlsafe(32)  # 43 characters, the shape of a token
    conn = sqlite3.connect(srv.db, timeout=30)
    try:
        conn.execute(
            "INSERT INTO room_participants (appointment_id, participant, role, resume_hash, "
            "admitted_at, created_at) VALUES (?, ?, 'citizen', ?, ?, ?)",
            (appointment_id, "p" + secrets.token_hex(8),
             hashlib.blake2b(resume.encode(), digest_size=32).hexdigest(),
             int(time.time()) if admitted else None, int(time.time())))
        conn.commit()
    finally:
        conn.close()
    return resume


def csrf_pair(srv, room_token):
    """The CSRF cookie the room page sets: (Cookie header, value)."""
    r = srv.get("/room/" + room_token)
    for k, v in r.headers:
        if k.lower() == "set-cookie" and v.startswith("vg_csrf="):
            pair = v.split(";")[0]
            return pair, pair.split("=", 1)[1]
    raise AssertionError("no CSRF cookie on the room page: %r" % r)


def multipart(fields, filename, data, content_type="application/pdf"):
    boundary = "----vg" + uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                    % (boundary, name, value)).encode())
    out.append(("--%s\r\nContent-Disposition: form-data; name=\"document\"; filename=\"%s\"\r\n"
                "Content-Type: %s\r\n\r\n" % (boundary, filename, content_type)).encode("utf-8"))
    out.append(data)
    out.append(("\r\n--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def upload(srv, room_token, resume, filename, data, content_type="application/pdf",
           accept="application/json", language="fr"):
    cookie, csrf = csrf_pair(srv, room_token)
    body, ctype = multipart({"csrf": csrf, "resume": resume}, filename, data, content_type)
    return srv.request("POST", "/room/%s/documents" % room_token, body=body, content_type=ctype,
                       headers={"Cookie": cookie, "Accept": accept,
                                "Accept-Language": language})
