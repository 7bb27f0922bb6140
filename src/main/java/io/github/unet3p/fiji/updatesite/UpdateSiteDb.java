package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

import io.github.unet3p.core.util.AtomicFiles;

/**
 * Writes and reads an update site's {@code db.xml.gz}, the gzipped XML index the ImageJ updater
 * downloads: a {@code pluginRecords} root with one {@code plugin} per file (attribute
 * {@code filename}), its {@code platform} elements, and one {@code version} (attributes
 * {@code checksum}, {@code timestamp}, {@code filesize}) with an optional {@code description}.
 *
 * <p>NB: the document carries an internal DTD for the elements written here, and {@link #read}
 * validates against it, so a malformed index fails the build rather than a user's update.
 */
public final class UpdateSiteDb {

	/** The index's file name on the site. */
	public static final String FILE = "db.xml.gz";

	private static final String DTD = String.join("\n", //
			"<!DOCTYPE pluginRecords [", //
			"<!ELEMENT pluginRecords (plugin*)>", //
			"<!ELEMENT plugin (platform*, version)>", //
			"<!ATTLIST plugin filename CDATA #REQUIRED>", //
			"<!ELEMENT platform (#PCDATA)>", //
			"<!ELEMENT version (description?)>", //
			"<!ATTLIST version checksum CDATA #REQUIRED timestamp CDATA #REQUIRED filesize CDATA #REQUIRED>", //
			"<!ELEMENT description (#PCDATA)>", //
			"]>");

	private UpdateSiteDb() {}

	/** Writes {@code files} to {@code db} (gzipped XML), atomically. */
	public static void write(final Path db, final List<SiteFile> files) throws IOException {
		AtomicFiles.write(db, out -> {
			final GZIPOutputStream gz = new GZIPOutputStream(out);
			writeXml(gz, files);
			gz.finish();
		});
	}

	private static void writeXml(final OutputStream out, final List<SiteFile> files) throws IOException {
		try {
			final OutputStreamWriter text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			final XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
			xml.writeStartDocument("UTF-8", "1.0");
			xml.writeCharacters("\n");
			xml.writeDTD(DTD);
			xml.writeCharacters("\n");
			xml.writeStartElement("pluginRecords");
			for (final SiteFile f : files) {
				xml.writeCharacters("\n  ");
				xml.writeStartElement("plugin");
				xml.writeAttribute("filename", f.path());
				if (f.platform() != null) {
					xml.writeCharacters("\n    ");
					xml.writeStartElement("platform");
					xml.writeCharacters(f.platform());
					xml.writeEndElement();
				}
				xml.writeCharacters("\n    ");
				xml.writeStartElement("version");
				xml.writeAttribute("checksum", f.checksum());
				xml.writeAttribute("timestamp", Long.toString(f.timestamp()));
				xml.writeAttribute("filesize", Long.toString(f.size()));
				if (f.description() != null) {
					xml.writeCharacters("\n      ");
					xml.writeStartElement("description");
					xml.writeCharacters(f.description());
					xml.writeEndElement();
					xml.writeCharacters("\n    ");
				}
				xml.writeEndElement();
				xml.writeCharacters("\n  ");
				xml.writeEndElement();
			}
			xml.writeCharacters("\n");
			xml.writeEndElement();
			xml.writeCharacters("\n");
			xml.writeEndDocument();
			xml.flush();
			text.flush();
		}
		catch (final XMLStreamException e) {
			throw new IOException("cannot write the update site index: " + e.getMessage(), e);
		}
	}

	/**
	 * Reads and validates an index.
	 *
	 * @throws IOException if it is not gzipped XML that follows the index's DTD
	 */
	public static List<SiteFile> read(final Path db) throws IOException {
		final List<SiteFile> files = new ArrayList<>();
		final DefaultHandler handler = new DefaultHandler() {

			private final StringBuilder body = new StringBuilder();
			private String path, platform, checksum, description;
			private long timestamp, size;

			@Override
			public void startElement(final String uri, final String local, final String name, final Attributes atts) {
				body.setLength(0);
				switch (name) {
					case "plugin" -> {
						path = atts.getValue("filename");
						platform = null;
						description = null;
					}
					case "version" -> {
						checksum = atts.getValue("checksum");
						timestamp = Long.parseLong(atts.getValue("timestamp"));
						size = Long.parseLong(atts.getValue("filesize"));
					}
					default -> {}
				}
			}

			@Override
			public void characters(final char[] ch, final int start, final int length) {
				body.append(ch, start, length);
			}

			@Override
			public void endElement(final String uri, final String local, final String name) {
				switch (name) {
					case "platform" -> platform = body.toString();
					case "description" -> description = body.toString();
					case "plugin" -> files.add(new SiteFile(path, platform, timestamp, size, checksum, description));
					default -> {}
				}
			}

			@Override
			public void error(final SAXParseException e) throws SAXException {
				throw e;
			}
		};
		try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
			final SAXParserFactory factory = SAXParserFactory.newInstance();
			factory.setValidating(true);
			factory.newSAXParser().parse(in, handler);
		}
		catch (final SAXException | ParserConfigurationException | NumberFormatException e) {
			throw new IOException(db + " is not a valid update site index: " + e.getMessage(), e);
		}
		return files;
	}
}
