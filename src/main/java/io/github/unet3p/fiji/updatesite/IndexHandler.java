package io.github.unet3p.fiji.updatesite;

import java.util.ArrayList;
import java.util.List;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/** The SAX handler that reads a {@code db.xml.gz}: the files with a current version, and the obsolete ones. */
final class IndexHandler extends DefaultHandler {

	final List<SiteFile> files = new ArrayList<>();
	final List<ObsoleteFile> obsolete = new ArrayList<>();


		private final StringBuilder body = new StringBuilder();
		private final List<String> platforms = new ArrayList<>();
		private final List<PreviousVersion> previous = new ArrayList<>();
		private String path, checksum, description;
		private long timestamp, size;
		private boolean hasVersion;

		@Override
		public void startElement(final String uri, final String local, final String element, final Attributes atts) {
			body.setLength(0);
			switch (element) {
				case "plugin" -> {
					path = atts.getValue("filename");
					platforms.clear();
					previous.clear();
					description = null;
					hasVersion = false;
				}
				case "version" -> {
					hasVersion = true;
					checksum = atts.getValue("checksum");
					timestamp = Long.parseLong(atts.getValue("timestamp"));
					size = Long.parseLong(atts.getValue("filesize"));
				}
				case "previous-version" -> {
					final String file = atts.getValue("filename");
					final String obsoleteSince = atts.getValue("timestamp-obsolete");
					previous.add(new PreviousVersion(file == null || file.isEmpty() ? path : file, atts.getValue("checksum"),
							Long.parseLong(atts.getValue("timestamp")), obsoleteSince == null ? 0 : Long.parseLong(obsoleteSince)));
				}
				default -> {}
			}
		}

		@Override
		public void characters(final char[] ch, final int start, final int length) {
			body.append(ch, start, length);
		}

		@Override
		public void endElement(final String uri, final String local, final String element) throws SAXException {
			switch (element) {
				case "platform" -> platforms.add(body.toString().trim());
				case "description" -> description = body.toString();
				case "plugin" -> {
					// NB: the updater allows a comma-separated list; this site writes one platform per file.
					final String platform = platforms.isEmpty() ? null : String.join(",", platforms);
					if (hasVersion) files.add(new SiteFile(path, platform, timestamp, size, checksum, description, previous));
					else if (!previous.isEmpty()) obsolete.add(new ObsoleteFile(path, platform, previous));
					else throw new SAXException("file " + path + " has neither a version nor a previous version");
				}
				default -> {}
			}
		}

		@Override
		public void error(final SAXParseException e) throws SAXException {
			throw e;
		}
}
