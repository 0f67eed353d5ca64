"""CRX3, the signed package Chromium installs outside its store: written and read here.

Format (Chromium's components/crx_file/crx3.proto and crx_verifier.cc):
  "Cr24" | uint32 LE 3 | uint32 LE header size | CrxFileHeader (protobuf) | zip archive
  CrxFileHeader { repeated AsymmetricKeyProof sha256_with_rsa = 2;
                  bytes signed_header_data = 10000; }
  AsymmetricKeyProof { bytes public_key = 1; bytes signature = 2; }
  SignedData { bytes crx_id = 1; }
The RSA PKCS#1 v1.5 SHA-256 signature covers "CRX3 SignedData\\x00", the size of
signed_header_data (uint32 LE), signed_header_data itself, then the archive. Only the
encoding lives here; signing is the packaging script's (scripts/package.py, openssl).
"""
import hashlib
import struct

MAGIC = b"Cr24"
VERSION = 3
SIGNATURE_CONTEXT = b"CRX3 SignedData\x00"
FIELD_RSA_PROOF = 2
FIELD_SIGNED_HEADER_DATA = 10000
FIELD_PUBLIC_KEY = 1
FIELD_SIGNATURE = 2
FIELD_CRX_ID = 1
WIRE_LENGTH_DELIMITED = 2


class CrxError(ValueError):
    """Not a CRX3 file this module can read."""


def extension_id(public_key_der: bytes) -> str:
    """Chromium's id: the first 16 bytes of sha256(SubjectPublicKeyInfo), hex mapped 0-f → a-p."""
    return "".join(chr(ord("a") + int(digit, 16))
                   for digit in hashlib.sha256(public_key_der).hexdigest()[:32])


def crx_id(public_key_der: bytes) -> bytes:
    """The 16 bytes signed_header_data names the package by."""
    return hashlib.sha256(public_key_der).digest()[:16]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """One length-delimited protobuf field."""
    return _varint(number << 3 | WIRE_LENGTH_DELIMITED) + _varint(len(payload)) + payload


def signed_header_data(public_key_der: bytes) -> bytes:
    """SignedData { crx_id }: what ties the signature to this key's id."""
    return _field(FIELD_CRX_ID, crx_id(public_key_der))


def signed_payload(header_data: bytes, archive: bytes) -> bytes:
    """The bytes the RSA signature covers."""
    return SIGNATURE_CONTEXT + struct.pack("<I", len(header_data)) + header_data + archive


def encode(public_key_der: bytes, signature: bytes, archive: bytes) -> bytes:
    """A CRX3 file of `archive` (a zip) with one RSA proof."""
    proof = _field(FIELD_PUBLIC_KEY, public_key_der) + _field(FIELD_SIGNATURE, signature)
    header = (_field(FIELD_RSA_PROOF, proof)
              + _field(FIELD_SIGNED_HEADER_DATA, signed_header_data(public_key_der)))
    return MAGIC + struct.pack("<II", VERSION, len(header)) + header + archive


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise CrxError("truncated protobuf varint")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if not byte & 0x80:
            return value, at


def _fields(data: bytes):
    """(number, payload) of each length-delimited field; other wire types are refused."""
    at = 0
    while at < len(data):
        tag, at = _read_varint(data, at)
        if tag & 7 != WIRE_LENGTH_DELIMITED:
            raise CrxError(f"unexpected wire type {tag & 7}")
        size, at = _read_varint(data, at)
        if at + size > len(data):
            raise CrxError("truncated protobuf field")
        yield tag >> 3, data[at:at + size]
        at += size


def decode(data: bytes) -> dict:
    """The RSA proofs, signed header data and archive of a CRX3 file (nothing verified)."""
    if len(data) < 12 or data[:4] != MAGIC:
        raise CrxError("not a CRX file (no Cr24 magic)")
    version, header_size = struct.unpack("<II", data[4:12])
    if version != VERSION:
        raise CrxError(f"CRX version {version}, expected 3")
    header, archive = data[12:12 + header_size], data[12 + header_size:]
    if len(header) != header_size:
        raise CrxError("truncated CRX header")
    proofs, header_data = [], b""
    for number, payload in _fields(header):
        if number == FIELD_RSA_PROOF:
            proof = dict(_fields(payload))
            proofs.append((proof.get(FIELD_PUBLIC_KEY, b""), proof.get(FIELD_SIGNATURE, b"")))
        elif number == FIELD_SIGNED_HEADER_DATA:
            header_data = payload
    return {"rsa_proofs": proofs, "signed_header_data": header_data, "archive": archive}


def id_of(data: bytes) -> str:
    """The extension id a CRX3 declares: its signed crx_id, which one of its keys must match."""
    parts = decode(data)
    declared = dict(_fields(parts["signed_header_data"])).get(FIELD_CRX_ID)
    for public_key, _ in parts["rsa_proofs"]:
        if crx_id(public_key) == declared:
            return extension_id(public_key)
    raise CrxError("no key of the CRX matches its crx_id")
