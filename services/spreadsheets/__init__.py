"""Reading the spreadsheets akimat offices really produce, and writing safe ones."""
