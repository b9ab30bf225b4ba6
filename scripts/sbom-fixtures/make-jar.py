#!/usr/bin/env python3
"""Writes the planted fat jar: commons-text 1.9 shaded in (its pom.properties
at the top level) and log4j-core 2.14.1 as a nested jar under BOOT-INF/lib/,
stored uncompressed the way Spring Boot packs them. Fixed timestamps keep the
bytes (and so the fixture hash) the same on every run.

usage: make-jar.py OUT.jar
"""
import io
import sys
import zipfile

STAMP = (1980, 1, 1, 0, 0, 0)


def add(z, name, data, compress=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, STAMP)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    z.writestr(info, data)


def pom(group, artifact, version):
    return f"artifactId={artifact}\ngroupId={group}\nversion={version}\n"


def inner_log4j():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        add(z, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Title: Apache Log4j Core\nImplementation-Version: 2.14.1\n")
        add(z, "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties", pom("org.apache.logging.log4j", "log4j-core", "2.14.1"))
        add(z, "org/apache/logging/log4j/core/lookup/JndiLookup.class", b"\xca\xfe\xba\xbe fixture")
    return buf.getvalue()


def main(out):
    with zipfile.ZipFile(out, "w") as z:
        add(z, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\nStart-Class: com.example.App\n")
        add(z, "META-INF/maven/org.apache.commons/commons-text/pom.properties", pom("org.apache.commons", "commons-text", "1.9"))
        add(z, "org/apache/commons/text/StringSubstitutor.class", b"\xca\xfe\xba\xbe fixture")
        add(z, "BOOT-INF/lib/log4j-core-2.14.1.jar", inner_log4j(), zipfile.ZIP_STORED)


if __name__ == "__main__":
    main(sys.argv[1])
