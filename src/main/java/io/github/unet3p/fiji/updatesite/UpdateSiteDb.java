package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.xml.sax.SAXException;

import io.github.unet3p.core.util.AtomicFiles;

/**
 * Writes and reads an update site's {@code db.xml.gz}, the gzipped XML index the ImageJ updater
 * downloads: a {@code pluginRecords} root with one {@code plugin} per file (attribute
 * {@code filename}), its {@code platform} elements, one {@code version} (attributes
 * {@code checksum}, {@code timestamp}, {@code filesize}) with an optional {@code description},
 * then a {@code previous-version} (attributes {@code filename}, {@code checksum},
 * {@code timestamp}, {@code timestamp-obsolete}) per earlier version. A file the site dropped is a
 * {@code plugin} with previous versions and no {@code version}: the updater's "obsolete".
 *
 * <p>NB: the document carries an internal DTD for the elements written here (a subset of the
 * updater's own, {@code XMLFileWriter}), and {@link #read} validates any index against the DTD it
 * carries, so a malformed index fails the build rather than a user's update. Elements of the
 * updater's DTD this writer does not use (authors, links, dependencies) are skipped when read.
 */
public final class UpdateSiteDb {

	/** The index's file name on the site. */
	public static final String FILE = "db.xml.gz";

	private static final String DTD = String.join("\n", //
			"<!DOCTYPE pluginRecords [", //
			"<!ELEMENT pluginRecords (plugin*)>", //
			"<!ELEMENT plugin (platform*, version?, previous-version*)>", //
			"<!ATTLIST plugin filename CDATA #REQUIRED>", //
			"<!ELEMENT platform (#PCDATA)>", //
			"<!ELEMENT version (description?)>", //
			"<!ATTLIST version checksum CDATA #REQUIRED timestamp CDATA #REQUIRED filesize CDATA #REQUIRED>", //
			"<!ELEMENT description (#PCDATA)>", //
			"<!ELEMENT previous-version EMPTY>", //
			"<!ATTLIST previous-version filename CDATA #IMPLIED checksum CDATA #REQUIRED timestamp CDATA #REQUIRED timestamp-obsolete CDATA #IMPLIED>", //
			"]>");

	private UpdateSiteDb() {}

	/** Writes {@code files} (no history) to {@code db}, atomically. */
	public static void write(final Path db, final List<SiteFile> files) throws IOException {
		write(db, SiteIndex.of(files));
	}

	/** Writes {@code index} to {@code db} (gzipped XML), atomically. */
	public static void write(final Path db, final SiteIndex index) throws IOException {
		AtomicFiles.write(db, out -> {
			final GZIPOutputStream gz = new GZIPOutputStream(out);
			writeXml(gz, index);
			gz.finish();
		});
	}

	private static void writeXml(final OutputStream out, final SiteIndex index) throws IOException {
		try {
			final OutputStreamWriter text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			final XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
			xml.writeStartDocument("UTF-8", "1.0");
			xml.writeCharacters("\n");
			xml.writeDTD(DTD);
			xml.writeCharacters("\n");
			xml.writeStartElement("pluginRecords");
			for (final SiteFile f : index.files()) {
				startPlugin(xml, f.path(), f.platform());
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
				endPlugin(xml, f.previous());
			}
			for (final ObsoleteFile f : index.obsolete()) {
				startPlugin(xml, f.path(), f.platform());
				endPlugin(xml, f.previous());
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

	private static void startPlugin(final XMLStreamWriter xml, final String path, final String platform) throws XMLStreamException {
		xml.writeCharacters("\n  ");
		xml.writeStartElement("plugin");
		xml.writeAttribute("filename", path);
		if (platform != null) {
			xml.writeCharacters("\n    ");
			xml.writeStartElement("platform");
			xml.writeCharacters(platform);
			xml.writeEndElement();
		}
	}

	private static void endPlugin(final XMLStreamWriter xml, final List<PreviousVersion> previous) throws XMLStreamException {
		for (final PreviousVersion v : previous) {
			xml.writeCharacters("\n    ");
			xml.writeEmptyElement("previous-version");
			xml.writeAttribute("filename", v.path());
			xml.writeAttribute("checksum", v.checksum());
			xml.writeAttribute("timestamp", Long.toString(v.timestamp()));
			if (v.obsoleteSince() != 0) xml.writeAttribute("timestamp-obsolete", Long.toString(v.obsoleteSince()));
		}
		xml.writeCharacters("\n  ");
		xml.writeEndElement();
	}

	/**
	 * Reads and validates an index.
	 *
	 * @throws IOException if it is not gzipped XML that follows the DTD it carries
	 */
	public static SiteIndex read(final Path db) throws IOException {
		try (InputStream in = Files.newInputStream(db)) {
			return read(in, db.toString());
		}
	}

	/**
	 * Reads and validates an index from {@code in} (gzipped), {@code name} naming it in messages.
	 *
	 * @throws IOException if it is not gzipped XML that follows the DTD it carries
	 */
	public static SiteIndex read(final InputStream in, final String name) throws IOException {
		final IndexHandler handler = new IndexHandler();
		try (InputStream gz = new GZIPInputStream(in)) {
			final SAXParserFactory factory = SAXParserFactory.newInstance();
			factory.setValidating(true);
			// NB: an index may come from a URL; it gets no say over which other files are read.
			factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
			factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
			factory.newSAXParser().parse(gz, handler);
		}
		catch (final SAXException | ParserConfigurationException | NumberFormatException e) {
			throw new IOException(name + " is not a valid update site index: " + e.getMessage(), e);
		}
		return new SiteIndex(handler.files, handler.obsolete);
	}
}
