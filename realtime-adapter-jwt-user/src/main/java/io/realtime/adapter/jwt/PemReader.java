package io.realtime.adapter.jwt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a public key from a PEM file; every problem is an IllegalArgumentException naming the file. */
final class PemReader {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private PemReader() {}

  /** The public key of the first {@code PUBLIC KEY} or {@code CERTIFICATE} block in the file. */
  static PublicKey publicKey(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the public key file " + path + ": " + e, e);
    }
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      String label = block.group(1);
      switch (label) {
        case "PUBLIC KEY":
          return subjectPublicKeyInfo(decode(block.group(2), path), path);
        case "CERTIFICATE":
          return certificateKey(decode(block.group(2), path), path);
        case "RSA PUBLIC KEY":
          throw new IllegalArgumentException(path + " holds a PKCS#1 'RSA PUBLIC KEY'; convert it"
              + " to 'PUBLIC KEY' with: openssl rsa -RSAPublicKey_in -in <file> -pubout");
        default:
          if (label.contains("PRIVATE KEY")) {
            // say so plainly: a private key on a verifier is a leak waiting to happen
            throw new IllegalArgumentException(path + " holds a private key; configure the"
                + " matching public key ('PUBLIC KEY' PEM) instead");
          }
      }
    }
    throw new IllegalArgumentException(path + " holds no 'PUBLIC KEY' or 'CERTIFICATE' PEM block");
  }

  private static byte[] decode(String base64, Path path) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + " holds a PEM block that is not valid base64", e);
    }
  }

  private static PublicKey subjectPublicKeyInfo(byte[] der, Path path) {
    var spec = new X509EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(spec);
      } catch (GeneralSecurityException e) {
        // not this key type (or not a key at all): try the next one
      }
    }
    throw new IllegalArgumentException(path + " holds a 'PUBLIC KEY' that is neither an RSA nor"
        + " an EC key");
  }

  private static PublicKey certificateKey(byte[] der, Path path) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der))
          .getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(path + " holds a 'CERTIFICATE' that cannot be parsed: "
          + e.getMessage(), e);
    }
  }
}
