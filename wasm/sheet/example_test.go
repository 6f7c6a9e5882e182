package sheet_test

import (
	"fmt"

	"github.com/mynaconnect/mynaconnect/wasm/origin"
	"github.com/mynaconnect/mynaconnect/wasm/sheet"
)

func ExampleBuild() {
	o, err := origin.Analyze("https://myconnect-lib.netlify.app")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := sheet.Build(sheet.Input{Origin: o, FirstSeen: true})
	fmt.Println(s.Title.Before + s.Title.Value + s.Title.After)
	fmt.Println(s.Question.Before + s.Question.Value + s.Question.After)
	fmt.Println(s.Badges[0].Text)
	// Output:
	// myconnect-lib.netlify.appが操作を求めています
	// 呼び出し元のURLは https://myconnect-lib.netlify.app で間違いありませんか？
	// はじめて接続するサイトです
}
