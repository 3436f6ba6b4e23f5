"""The ministries' systems a dossier is handed to over the data axis: the Ministry of Justice's judicial
records (LLTP), the national business registration portal (DKKD), the driving-licence management system
(GPLX). One adapter each behind `connectors.Connector`; `services` sends and applies what comes back."""
