"""Sync with the National Public Service Portal (Cổng Dịch vụ công quốc gia, DVCQG)."""
