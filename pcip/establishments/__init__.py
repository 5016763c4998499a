"""Credit service establishments and oversight (Art. 47-55; issue 20 point 4): filings with the
development and reform department and the public directory, supervision records, correction
orders with working-day deadlines, fines only after a missed deadline or a serious finding,
and oversight orders to departments and to the platform itself fed by its overdue steps."""
