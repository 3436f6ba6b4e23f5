"""Mutual TLS on an axis: the configured client certificate and key (PEM files) are presented, the server
is checked against the configured CA. A throwaway CA, server and client certificate are made here, and a
TLS server that requires a client certificate answers with the name it saw."""

import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from ipaddress import IPv4Address

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from motcua.interop import http
from motcua.interop.axis import auth
from motcua.interop.axis.registry import Axis


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _issue(
    name: str, key, issuer_name: str, issuer_key, *, ca: bool = False, ip: str = ""
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(issuer_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address(ip))]), False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture
def pki(tmp_path):
    """CA, server (127.0.0.1) and client ("motcua-h40") certificates and keys as PEM files."""
    files = {}
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _issue("Throwaway axis CA", ca_key, "Throwaway axis CA", ca_key, ca=True)
    for label, name, ip in (("server", "axis.test", "127.0.0.1"), ("client", "motcua-h40", "")):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _issue(name, key, "Throwaway axis CA", ca_key, ip=ip)
        files[f"{label}.crt"] = cert.public_bytes(serialization.Encoding.PEM)
        files[f"{label}.key"] = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    files["ca.crt"] = ca.public_bytes(serialization.Encoding.PEM)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        peer = self.connection.getpeercert() or {}
        subject = dict(item[0] for item in peer.get("subject", ()))
        body = subject.get("commonName", "").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return None


@pytest.fixture
def server(pki):
    """An HTTPS server that requires a client certificate issued by the throwaway CA."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / "server.crt", pki / "server.key")
    context.load_verify_locations(pki / "ca.crt")
    context.verify_mode = ssl.CERT_REQUIRED
    httpd = HTTPServer(("127.0.0.1", 0), _Echo)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_the_axis_presents_its_client_certificate(pki, server):
    axis = Axis(
        name="lgsp",
        url=server,
        client_cert=str(pki / "client.crt"),
        client_key=str(pki / "client.key"),
        ca=str(pki / "ca.crt"),
    )
    context = auth.tls_context(axis)

    assert context is not None and context.verify_mode == ssl.CERT_REQUIRED
    answer = http.get(server, headers={}, deadline=5, context=context)
    assert (answer.status, answer.text) == (200, "motcua-h40")


def test_without_the_client_certificate_the_server_refuses(pki, server):
    axis = Axis(name="lgsp", url=server, ca=str(pki / "ca.crt"))

    with pytest.raises(http.CallFailed):
        http.get(server, headers={}, deadline=5, context=auth.tls_context(axis))


def test_a_key_that_does_not_match_the_certificate_is_refused_at_once(pki):
    with pytest.raises(ssl.SSLError):
        http.client_context(certificate=str(pki / "client.crt"), key=str(pki / "server.key"))


def test_a_plain_http_axis_has_no_tls_context():
    assert auth.tls_context(Axis(name="lgsp", url="http://127.0.0.1:8000/")) is None
