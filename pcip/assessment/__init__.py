"""The comprehensive public credit assessment (Art. 30): departments only, derived on ask."""
